/**
 * The insert ceiling: a fresh SqliteStore (same schema, same pragmas, same write path) fed
 * TelemetryWrites shaped like the ingest's flushes, with no MQTT, no protobuf, no agents. What
 * the end-to-end rate is compared with.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SqliteStore } from '../../cloud-hub/store/sqlite-store.ts';
import type { TelemetryWrite } from '../../cloud-hub/store/types.ts';
import { FEATURES_16, T0, tempDir } from './util.ts';

export interface CeilingOptions {
  devices: number;
  readingsPerDevice: number;
  /** Readings in one TelemetryWrite (one agent batch). */
  readingsPerWrite: number;
  /** TelemetryWrites per writeTelemetry call (one hub flush = one transaction). */
  writesPerCall: number;
  features?: readonly string[];
}

export interface CeilingResult { readings: number; seconds: number; readingsPerS: number; calls: number }

/** Writes for device d, in seq order, built before timing (as toTelemetryWrite builds them). */
function writesOf(device: string, o: CeilingOptions, width: number, features: readonly string[]): TelemetryWrite[] {
  const out: TelemetryWrite[] = [];
  for (let first = 0; first < o.readingsPerDevice; first += o.readingsPerWrite) {
    const n = Math.min(o.readingsPerWrite, o.readingsPerDevice - first);
    const all = new Float64Array(n * width);
    for (let i = 0; i < all.length; i++) all[i] = Math.sin(first + i) * 100;
    const readings = Array.from({ length: n }, (_, r) => ({ tsMs: T0 + first + r, values: all.subarray(r * width, (r + 1) * width) }));
    out.push({ device, stream: 'main', firstSeq: first + 1, features, readings, droppedTotal: 0, backlog: 0, receivedAtMs: Date.now() });
  }
  return out;
}

export async function measureCeiling(o: CeilingOptions): Promise<CeilingResult> {
  const features = o.features ?? FEATURES_16;
  const tmp = tempDir('eh-bench-ceiling-');
  const store = new SqliteStore({ path: join(tmp.dir, 'hub.db') });
  try {
    await store.init();
    const perDevice: TelemetryWrite[][] = [];
    for (let d = 0; d < o.devices; d++) {
      const id = `dev-${String(d).padStart(4, '0')}`;
      await store.createDevice({ id, group: 'default', profile: 'bench', publicKey: new Uint8Array(32).fill(d % 256), createdAtMs: Date.now() });
      perDevice.push(writesOf(id, o, features.length, features));
    }
    // Round-robin over devices, as many agents' batches interleave at the hub.
    const order: TelemetryWrite[] = [];
    for (let k = 0; order.length < perDevice.reduce((n, w) => n + w.length, 0); k++) {
      for (const w of perDevice) if (w[k]) order.push(w[k]!);
    }
    const total = o.devices * o.readingsPerDevice;
    let calls = 0;
    const t0 = performance.now();
    for (let i = 0; i < order.length; i += o.writesPerCall) {
      await store.writeTelemetry(order.slice(i, i + o.writesPerCall));
      calls++;
    }
    const seconds = (performance.now() - t0) / 1000;
    const stored = await store.countReadings();
    if (stored !== total) throw new Error(`ceiling: ${stored} readings stored, expected ${total}`);
    return { readings: total, seconds, readingsPerS: total / seconds, calls };
  } finally {
    await store.close();
    tmp.remove();
  }
}
