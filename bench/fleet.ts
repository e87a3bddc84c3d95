/**
 * npm run bench:fleet [-- --quick] [--steps 100,250,500,1000] [--window S]
 *   [--hub child|inprocess|both] [--sync full|normal|both] [--profile DIR]
 *
 * How many virtual devices one simulator process sustains at one reading per second each: the
 * simulator's in-process fleet (simulators/fleet) steps through N devices against a fresh hub,
 * by default a child process (`edgehive hub`), so that what is measured is the simulator process.
 * Each step runs in a fresh process of its own (lib/fleet-step-cli.ts).
 * A step is sustained when the hub stores >= 95 % of N readings/s, the fleet's outbox backlog does
 * not grow (< 5 % of N readings/s) and this process's event-loop delay p99 stays under 200 ms.
 * --sync sets the virtual agents' buffer.synchronous: 'normal' is what the simulator gives its
 * in-process devices (simulators/fleet/fleet.ts, docs/decisions/0005) and the headline figure;
 * 'full', the agent default on a real device, shows what syncing every commit on the simulator's
 * one thread costs (metrics with the suffix _sync_full). Default: both; --quick: normal.
 * See lib/fleet-step.ts.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { HubMode, StepOptions, StepResult } from './lib/fleet-step.ts';
import { argValue, isQuick, writeResult, type Metric } from './lib/report.ts';
import { intArg, num, say } from './lib/util.ts';

const quick = isQuick();
const steps = (argValue('steps') ?? (quick ? '100,250' : '100,250,500,1000')).split(',').map((s) => intArg(s, 0, 'steps'));
const windowS = intArg(argValue('window'), quick ? 10 : 30, 'window');
const profileDir = argValue('profile');
const pick = <T extends string>(name: string, value: string, allowed: readonly T[]): T[] => {
  if (value === 'both') return [...allowed];
  if (!allowed.includes(value as T)) throw new Error(`--${name} must be ${allowed.join(', ')} or both, got ${value}`);
  return [value as T];
};
const hubs = pick<HubMode>('hub', argValue('hub') ?? 'child', ['child', 'inprocess']);
const syncs = pick<'full' | 'normal'>('sync', argValue('sync') ?? (quick ? 'normal' : 'both'), ['normal', 'full']);

const RESULT_MARK = 'FLEET-STEP-RESULT '; // as in lib/fleet-step-cli.ts (not imported: importing it would run it)
const STEP_CLI = fileURLToPath(new URL('./lib/fleet-step-cli.ts', import.meta.url));

/** Runs one step in a fresh process (lib/fleet-step-cli.ts); its progress lines pass through. */
function runStep(o: StepOptions): Promise<StepResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', STEP_CLI, JSON.stringify(o)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT_MARK));
      if (code === 0 && line) resolve(JSON.parse(line.slice(RESULT_MARK.length)) as StepResult);
      else reject(new Error(`fleet step with ${o.devices} devices exited with ${code}: ${out.slice(-2000)}`));
    });
  });
}

const metrics: Record<string, Metric> = {};
const runs: Record<string, number[]> = {};

for (const hub of hubs) {
  for (const sync of syncs) {
    const where = hub === 'child' ? 'hub in a child process' : 'hub in the simulator process';
    say(`fleet: ${steps.join(', ')} devices at 1 reading/s each, ${windowS} s window each, ${where}, agents' buffer.synchronous '${sync}'`);
    const results: StepResult[] = [];
    for (const n of steps) {
      const r = await runStep({ devices: n, windowS, hub, synchronous: sync, ...(profileDir ? { profileDir } : {}) });
      results.push(r);
      say(`  ${n} devices: ${num(r.storedPerS)} stored/s (${(r.share * 100).toFixed(1)} %), backlog ${num(r.backlogStart)} → ${num(r.backlogEnd)} readings `
        + `(${num(r.backlogGrowthPerS)}/s), loop lag p99 ${num(r.loopLagP99Ms)} ms (max ${num(r.loopLagMaxMs)}), RSS ${num(r.rssMaxMb)} MiB, `
        + `cpu ${r.cpuCores.toFixed(2)} cores, backlog sample ≤ ${num(r.sampleMaxMs)} ms; provisioned in ${r.provisionS.toFixed(1)} s, online after ${r.onlineS.toFixed(1)} s: ${r.why}`);
    }
    const sfx = `${hub === 'child' ? '' : '_hub_inprocess'}${sync === 'normal' ? '' : '_sync_full'}`;
    const best = results.filter((r) => r.sustained).reduce((m, r) => Math.max(m, r.devices), 0);
    metrics[`max_devices_sustained${sfx}`] = {
      value: best, unit: 'devices', better: 'higher', target: 1000,
      note: `largest sustained step of ${steps.join('/')}; ${where}; buffer.synchronous '${sync}'`,
    };
    metrics[`max_devices_keeping_up${sfx}`] = {
      value: results.filter((r) => r.keepsUp).reduce((m, r) => Math.max(m, r.devices), 0), unit: 'devices', better: 'higher',
      note: 'largest step whose readings were all stored (>= 95 %) with a bounded backlog, loop delay aside',
    };
    for (const r of results) {
      const k = `step_${r.devices}${sfx}`;
      metrics[`${k}_readings_per_s`] = { value: r.storedPerS, unit: 'readings/s', better: 'higher', target: 0.95 * r.devices, note: r.why };
      metrics[`${k}_backlog_growth_per_s`] = { value: r.backlogGrowthPerS, unit: 'readings/s', better: 'lower', note: `backlog ${Math.round(r.backlogStart)} -> ${Math.round(r.backlogEnd)} readings` };
      metrics[`${k}_loop_lag_p99_ms`] = { value: r.loopLagP99Ms, unit: 'ms', better: 'lower', target: 200 };
      metrics[`${k}_rss_mb`] = { value: r.rssMaxMb, unit: 'MiB', better: 'lower', note: 'max RSS of the simulator process (one fresh process per step)' };
      metrics[`${k}_cpu_cores`] = { value: r.cpuCores, unit: 'cores', better: 'lower', note: 'CPU of the simulator process' };
      runs[k] = [r.storedPerS, r.backlogStart, r.backlogEnd, r.loopLagP99Ms, r.loopLagMaxMs, r.rssMaxMb, r.cpuCores];
    }
  }
}

writeResult('fleet', metrics, runs);
