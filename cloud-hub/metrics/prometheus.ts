/**
 * Prometheus text exposition (format 0.0.4) of the hub's metrics.
 * https://prometheus.io/docs/instrumenting/exposition_formats/
 */
import type { HubMetrics } from './hub-metrics.ts';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

class Exposition {
  readonly lines: string[] = [];
  family(name: string, type: 'counter' | 'gauge', help: string): this {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    return this;
  }
  sample(name: string, value: number, labels?: Record<string, string>): this {
    const l = labels ? `{${Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}` : '';
    this.lines.push(`${name}${l} ${Number.isFinite(value) ? value : 0}`);
    return this;
  }
  labelled(name: string, label: string, values: ReadonlyMap<string, number>): this {
    for (const [k, v] of [...values].sort(([a], [b]) => a.localeCompare(b))) this.sample(name, v, { [label]: k });
    return this;
  }
}

export function renderPrometheus(m: HubMetrics): string {
  const e = new Exposition();
  e.family('edgehive_messages_in_total', 'counter', 'MQTT messages received by the hub ingest, by topic kind.')
    .labelled('edgehive_messages_in_total', 'kind', m.messagesIn);
  e.family('edgehive_readings_stored_total', 'counter', 'Telemetry readings newly committed to the store.')
    .sample('edgehive_readings_stored_total', m.readingsStored);
  e.family('edgehive_duplicate_readings_total', 'counter', 'Resent readings that were already stored (acknowledged, not stored again).')
    .sample('edgehive_duplicate_readings_total', m.duplicates);
  e.family('edgehive_rejects_total', 'counter', 'Connections, publishes and messages refused, by reason.')
    .labelled('edgehive_rejects_total', 'reason', m.rejects);
  e.family('edgehive_records_acked_total', 'counter', 'Event, drift and federated records received and acknowledged (not stored yet), by kind.')
    .labelled('edgehive_records_acked_total', 'kind', m.recordsAcked);
  e.family('edgehive_store_failures_total', 'counter', 'Telemetry flushes the store refused (nothing acked; agents resend).')
    .sample('edgehive_store_failures_total', m.storeFailures);
  e.family('edgehive_devices_online', 'gauge', 'Devices whose latest status says online.')
    .sample('edgehive_devices_online', m.devicesOnline());
  e.family('edgehive_ingest_lag_seconds', 'gauge', 'Recent time from message arrival to store commit.')
    .sample('edgehive_ingest_lag_seconds', m.lag.quantile(0.5) / 1000, { quantile: '0.5' })
    .sample('edgehive_ingest_lag_seconds', m.lag.quantile(0.99) / 1000, { quantile: '0.99' });
  e.family('edgehive_device_dropped_readings_total', 'gauge', 'Readings devices report they dropped to stay inside their storage bound (sum of their cumulative counters).')
    .sample('edgehive_device_dropped_readings_total', m.deviceDroppedReadings);
  return e.lines.join('\n') + '\n';
}
