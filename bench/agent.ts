/**
 * npm run bench:agent [-- --quick] [--readings N] [--runs N] [--rate R]
 *   [--from-source] [--agent-entry FILE] [--agent-node-options "--max-semi-space-size=1"]
 *
 * (a) Outbox append rate: readings through the Chunker into the SQLite outbox exactly as the
 *     agent writes them (chunks of 256, 16 features, a push of 1000 readings per transaction as
 *     the sim sensor hands them over), buffer.synchronous 'full' (the default) and 'normal'.
 * (b) Resident memory of one agent process without a model (`edgehive agent --config FILE`),
 *     idle and under a jsonl sensor emitting --rate readings/s (default 3000). See lib/agent-rss.ts.
 *     By default the `edgehive` launcher runs a compiled build (the repository's dist/ when it is
 *     fresh, else one built into a temporary directory first: lib/build.ts), as a device would
 *     run it; --from-source runs the TypeScript sources through tsx instead (EDGEHIVE_FROM_SOURCE=1).
 *     --agent-entry runs another entry; --agent-node-options sets NODE_OPTIONS for the agent only.
 */
import { compiledBuild, type Build } from './lib/build.ts';
import { measureAgentRss } from './lib/agent-rss.ts';
import { fillOutbox } from './lib/fill.ts';
import { argValue, isQuick, median, writeResult, type Metric } from './lib/report.ts';
import { intArg, num, say, tempDir } from './lib/util.ts';

const quick = isQuick();
const readings = intArg(argValue('readings'), quick ? 100_000 : 1_000_000, 'readings');
const runs = intArg(argValue('runs'), quick ? 1 : 3, 'runs');
const rate = intArg(argValue('rate'), 3000, 'rate');
const sampleMs = quick ? 4000 : 10_000;
const fromSource = process.argv.includes('--from-source');
const nodeOptions = argValue('agent-node-options');
let build: Build | null = null;
let entry = argValue('agent-entry');
if (!entry && !fromSource) {
  build = compiledBuild();
  entry = build.launcher;
}
const how = `${argValue('agent-entry') ?? (fromSource ? 'simulators/cli/edgehive.js from the sources (tsx)' : `simulators/cli/edgehive.js running ${build!.what}`)}`
  + `${nodeOptions ? ` with NODE_OPTIONS=${nodeOptions}` : ''}`;

const metrics: Record<string, Metric> = {};
const samples: Record<string, number[]> = {};

function appendRate(label: string, synchronous: 'full' | 'normal', pushSize: number): number {
  const rates: number[] = [];
  for (let r = 0; r < runs; r++) {
    const tmp = tempDir('eh-bench-append-');
    try {
      const res = fillOutbox({ dataDir: tmp.dir, readings, synchronous, pushSize });
      rates.push(res.readingsPerS);
      say(`  ${label} run ${r + 1}: ${num(res.readingsPerS)} readings/s (${num(readings)} readings in ${res.seconds.toFixed(2)} s, ${res.records} chunks)`);
    } finally {
      tmp.remove();
    }
  }
  samples[label] = rates;
  return median(rates);
}

say(`outbox append: ${num(readings)} readings of 16 features, chunks of 256, ${runs} run(s) each`);
metrics.outbox_append_readings_per_s = {
  value: appendRate('sync_full_push1000', 'full', 1000), unit: 'readings/s', better: 'higher', target: 200_000,
  note: "buffer.synchronous 'full' (default), 1000 readings per push",
};
metrics.outbox_append_readings_per_s_sync_normal = {
  value: appendRate('sync_normal_push1000', 'normal', 1000), unit: 'readings/s', better: 'higher',
  note: "buffer.synchronous 'normal', 1000 readings per push",
};
metrics.outbox_append_readings_per_s_push256 = {
  value: appendRate('sync_full_push256', 'full', 256), unit: 'readings/s', better: 'higher',
  note: "'full', 256 readings per push: one chunk, one synced commit each",
};

say(`agent RSS: one 'edgehive agent' process (${how}), idle then with a jsonl sensor at ${num(rate)} readings/s, sampled for ${sampleMs / 1000} s each`);
const rss = await measureAgentRss({
  sampleMs, rate, ...(entry ? { entry } : {}), ...(nodeOptions ? { nodeOptions } : {}), ...(fromSource ? { env: { EDGEHIVE_FROM_SOURCE: '1' } } : {}),
}).finally(() => build?.tmp?.remove());
say(`  started and online in ${rss.startupS.toFixed(1)} s; idle max ${rss.idle.maxMb.toFixed(1)} MiB (median ${rss.idle.medianMb.toFixed(1)}, ${rss.idle.samples} samples); `
  + `load max ${rss.load.maxMb.toFixed(1)} MiB (median ${rss.load.medianMb.toFixed(1)}) at ${num(rss.loadReadingsPerS)} readings/s stored`);
metrics.agent_rss_idle_mb = { value: rss.idle.maxMb, unit: 'MiB', better: 'lower', target: 80, note: `max VmRSS over the window, connected, no sensors; ${how}` };
metrics.agent_rss_idle_median_mb = { value: rss.idle.medianMb, unit: 'MiB', better: 'lower' };
metrics.agent_rss_load_mb = { value: rss.load.maxMb, unit: 'MiB', better: 'lower', target: 80, note: `max VmRSS, jsonl sensor at ${rate} readings/s; ${how}` };
metrics.agent_rss_load_median_mb = { value: rss.load.medianMb, unit: 'MiB', better: 'lower' };
metrics.agent_load_readings_per_s = { value: rss.loadReadingsPerS, unit: 'readings/s', better: 'higher', note: 'stored at the hub while the load RSS was sampled' };

writeResult('agent', metrics, samples);
