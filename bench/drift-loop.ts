/**
 * npm run bench:drift-loop [-- --quick] [--pumps N]
 *
 * The closed drift loop on the simulated pump fleet (simulators/fleet/drift-loop.ts, the driver
 * the e2e test and `npm start` run): time from drift injection to promoted model, in fleet time
 * (what the policy, training windows, shadow and soaks measure) and in wall time (what the
 * machine took), step by step: injected → detected → trigger → challenger ready → shadow decided
 * → promoted → drift back under threshold. Fleet time is the accelerated simulator clock (a fleet
 * day in about 3 wall seconds with the defaults); the figures are for these scaled-down windows,
 * not a production fleet's one-day windows. --quick runs 5 pumps instead of 10.
 * Writes bench/results/drift-loop.json (drift-loop.quick.json).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../shared/log/logger.ts';
import { LOOP_DEFAULTS, runDriftLoop } from '../simulators/fleet/drift-loop.ts';
import { formatFleet, formatWall, type LoopStep } from '../simulators/fleet/drift-loop-steps.ts';
import { argValue, isQuick, writeResult, type Metric } from './lib/report.ts';
import { intArg, say } from './lib/util.ts';

const HOUR_MS = 3_600_000;
const SPANS: Array<[string, LoopStep]> = [
  ['detected', 'drift-detected'], ['trigger', 'policy-triggered'], ['challenger_ready', 'challenger-ready'],
  ['shadow_decided', 'shadow-decided'], ['promoted', 'promoted'], ['drift_cleared', 'drift-cleared'],
];

const pumps = intArg(argValue('pumps'), isQuick() ? 5 : LOOP_DEFAULTS.pumps, 'pumps');
const dir = mkdtempSync(join(tmpdir(), 'eh-bench-drift-loop-'));
try {
  say(`drift loop on ${pumps} pumps ...`);
  const r = await runDriftLoop({ ...LOOP_DEFAULTS, pumps, dataDir: dir, logger: silentLogger(), print: (l) => say(l) });
  const t = r.timeline;
  console.log('\nstep (from drift injected)   fleet time   wall time');
  const metrics: Record<string, Metric> = {};
  for (const [name, step] of SPANS) {
    const s = t.span('drift-injected', step);
    console.log(`${step.padEnd(28)} ${(s ? formatFleet(s.fleetMs) : 'not reached').padStart(10)}   ${(s ? formatWall(s.wallMs) : '-').padStart(9)}`);
    if (!s) continue;
    metrics[`injected_to_${name}_fleet_h`] = { value: s.fleetMs / HOUR_MS, unit: 'fleet h', better: 'lower' };
    metrics[`injected_to_${name}_wall_s`] = { value: s.wallMs / 1000, unit: 's', better: 'lower' };
  }
  metrics.speed = { value: r.speed, unit: 'x', better: 'higher', note: `a reading every ${r.periodMs / 60_000} fleet min, drift windows of ${LOOP_DEFAULTS.windowReadings} readings` };
  metrics.pumps = { value: pumps, unit: 'devices', better: 'higher' };
  metrics.promoted = { value: r.shadow?.state === 'promoted' && r.deploymentState === 'completed' ? 1 : 0, unit: 'bool', better: 'higher', target: 1, note: r.shadow?.reason ?? '' };
  writeResult('drift-loop', metrics);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
