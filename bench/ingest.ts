/**
 * npm run bench:ingest [-- --quick] [--devices N] [--readings N] [--runs N]
 *   [--mqtt-url mqtt://127.0.0.1:1883] [--only embedded|mosquitto|ceiling] [--profile DIR]
 *   [--agents-in child|hub]
 *
 * End-to-end readings/s from agent outboxes through MQTT to rows committed in the hub's store
 * and acked (see lib/ingest-run.ts), for the embedded broker and for Mosquitto (when one answers
 * at --mqtt-url, EDGEHIVE_TEST_MQTT_URL or mqtt://127.0.0.1:1883), and the raw insert ceiling of
 * the same SQLite schema on the same machine in the same run (lib/ceiling.ts). Medians of --runs.
 * The 100 agents run in a child process (default): on devices of their own they would not share
 * the hub's event loop. --agents-in hub runs them in the hub's process, as before.
 */
import { join } from 'node:path';
import { BUFFER_FILE } from '../edge-agent/agent-api.ts';
import { measureCeiling } from './lib/ceiling.ts';
import { fillOutbox } from './lib/fill.ts';
import { findMosquitto } from './lib/hubs.ts';
import { runIngestOnce, type IngestRunResult } from './lib/ingest-run.ts';
import { argValue, isQuick, median, writeResult, type Metric } from './lib/report.ts';
import { intArg, num, say, tempDir } from './lib/util.ts';

const quick = isQuick();
const devices = intArg(argValue('devices'), 100, 'devices');
const perDevice = intArg(argValue('readings'), quick ? 2_000 : 20_000, 'readings');
const runs = intArg(argValue('runs'), quick ? 1 : 3, 'runs');
const only = argValue('only');
const profileDir = argValue('profile');
const agentsIn = argValue('agents-in') ?? 'child';
if (agentsIn !== 'child' && agentsIn !== 'hub') throw new Error(`--agents-in must be child or hub, got ${JSON.stringify(agentsIn)}`);
const total = devices * perDevice;

const metrics: Record<string, Metric> = {};
const samples: Record<string, number[]> = {};

say(`ingest: ${devices} devices × ${num(perDevice)} readings (16 features) = ${num(total)} readings per run, ${runs} run(s) per mode`);
const tmp = tempDir('eh-bench-ingest-template-');
try {
  const fill = fillOutbox({ dataDir: tmp.dir, readings: perDevice });
  say(`outbox template: ${fill.records} records, ${num(fill.bytes / 1024)} KiB (filled at ${num(fill.readingsPerS)} readings/s)`);
  const templateDb = join(tmp.dir, BUFFER_FILE);

  const e2e = async (mode: 'embedded' | 'mosquitto', externalUrl?: string): Promise<IngestRunResult[]> => {
    const results: IngestRunResult[] = [];
    for (let r = 0; r < runs; r++) {
      const res = await runIngestOnce({
        devices, readingsPerDevice: perDevice, templateDb, agentsIn, ...(externalUrl ? { externalUrl } : {}),
        ...(profileDir ? { profileDir, profileName: `ingest-${mode}-run${r + 1}` } : {}),
      });
      results.push(res);
      const f = res.flushes;
      say(`  ${mode} run ${r + 1}: ${num(res.readingsPerS)} readings/s (${res.seconds.toFixed(2)} s, all connected after ${res.connectSeconds.toFixed(2)} s; `
        + `${f.calls} flushes, median ${f.medianWritesPerCall} batches × ${f.medianReadingsPerWrite} readings, max ${f.maxWritesPerCall} batches; `
        + `cpu ${res.cpuPerWallS.toFixed(2)} cores (agents ${res.agentsIn === 'child' ? `${res.agentsCpuPerWallS.toFixed(2)} cores in their own process` : 'in this process'}), loop ${(res.elu * 100).toFixed(0)} % busy, lag p99 ${num(res.ingestLagP99Ms)} ms, `
        + `dups ${res.duplicates}, resends ${res.resends}, rejects ${JSON.stringify(res.rejects)})`);
    }
    return results;
  };

  // The ceiling writes flushes shaped like the e2e run's (embedded if measured, else Mosquitto).
  let shape: { writesPerCall: number; readingsPerWrite: number; from: string } | null = null;
  const record = (mode: 'embedded' | 'mosquitto', results: IngestRunResult[]) => {
    const rates = results.map((r) => r.readingsPerS);
    samples[`e2e_${mode}`] = rates;
    metrics[`e2e_readings_per_s_${mode}`] = { value: median(rates), unit: 'readings/s', better: 'higher', target: 100_000 };
    metrics[`e2e_cpu_cores_${mode}`] = {
      value: median(results.map((r) => r.cpuPerWallS)), unit: 'cores', better: 'lower',
      note: agentsIn === 'child' ? 'CPU time of the hub process per wall second (the agents run in a child process)' : 'CPU time of the benchmark process (hub + agents) per wall second',
    };
    if (agentsIn === 'child') metrics[`e2e_agents_cpu_cores_${mode}`] = { value: median(results.map((r) => r.agentsCpuPerWallS)), unit: 'cores', better: 'lower', note: 'CPU time of the 100 agents\' child process per wall second' };
    shape ??= {
      writesPerCall: Math.max(1, Math.round(median(results.map((r) => r.flushes.medianWritesPerCall)))),
      readingsPerWrite: Math.max(1, Math.round(median(results.map((r) => r.flushes.medianReadingsPerWrite)))),
      from: `the ${mode} e2e flushes`,
    };
  };

  if (!only || only === 'embedded') {
    say('embedded broker (aedes in the hub process):');
    record('embedded', await e2e('embedded'));
  }
  if (!only || only === 'mosquitto') {
    const url = await findMosquitto();
    if (url) {
      say(`Mosquitto at ${url} (hub in external-broker mode):`);
      record('mosquitto', await e2e('mosquitto', url));
    } else {
      say('no MQTT broker answers at --mqtt-url / EDGEHIVE_TEST_MQTT_URL / mqtt://127.0.0.1:1883: Mosquitto mode skipped');
    }
  }
  if (!only || only === 'ceiling') {
    // Without an e2e run: an agent batch of 16 features under the default batchMaxBytes, 8 per flush.
    const s = shape ?? { writesPerCall: 8, readingsPerWrite: Math.min(perDevice, 1819), from: 'default agent batches' };
    say(`ceiling: raw SqliteStore.writeTelemetry, ${s.writesPerCall} batches × ${s.readingsPerWrite} readings per call (shaped like ${s.from}):`);
    const rates: number[] = [];
    for (let r = 0; r < runs; r++) {
      const c = await measureCeiling({ devices, readingsPerDevice: perDevice, readingsPerWrite: s.readingsPerWrite, writesPerCall: s.writesPerCall });
      rates.push(c.readingsPerS);
      say(`  ceiling run ${r + 1}: ${num(c.readingsPerS)} readings/s (${c.seconds.toFixed(2)} s, ${c.calls} transactions)`);
    }
    samples.ceiling = rates;
    metrics.ceiling_insert_readings_per_s = { value: median(rates), unit: 'readings/s', better: 'higher', note: `${s.writesPerCall} batches x ${s.readingsPerWrite} readings per transaction, shaped like ${s.from}` };
    const ceiling = median(rates);
    for (const mode of ['embedded', 'mosquitto'] as const) {
      const e = metrics[`e2e_readings_per_s_${mode}`];
      if (!e) continue;
      const name = mode === 'embedded' ? 'ratio_e2e_to_ceiling' : 'ratio_e2e_to_ceiling_mosquitto';
      metrics[name] = { value: e.value / ceiling, unit: 'ratio', better: 'higher', target: 0.5, note: `e2e (${mode}) median / ceiling median, same run` };
    }
  }
} finally {
  tmp.remove();
}
writeResult('ingest', metrics, samples);
process.exit(0); // a hub left behind by closeWithin must not keep the process alive
