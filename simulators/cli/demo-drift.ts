/**
 * `edgehive demo --drift-loop` (npm start -- --drift-loop): the closed drift loop on a pump
 * fleet with accelerated time, each step printed as it happens with fleet and wall time — the
 * champion trained and rolled out in waves, a pressure offset injected on 30 % of the pumps,
 * detected, retrained, shadowed, promoted in waves, and the drift back under threshold. It runs
 * simulators/fleet/drift-loop.ts, the driver the e2e test and the bench run.
 *
 * The hub and the fleet share the accelerated fleet clock here (the drift policy's windows,
 * cool-down and held-out span are hub-clock spans over fleet-time readings), which is why the
 * loop runs its own hub and fleet rather than the calm demo's wall-clock hub.
 */
import { join } from 'node:path';
import { createLogger } from '../../shared/log/logger.ts';
import { LOOP_DEFAULTS, runDriftLoop } from '../fleet/drift-loop.ts';
import { LOOP_STEPS } from '../fleet/drift-loop-steps.ts';

export async function runDemoDrift(o: { dataDir: string; pumps: number | null; logLevel: string; print: (l: string) => void }): Promise<number> {
  const { print } = o;
  print('drift loop: champion → drift on 30 % of the pumps → detect → retrain → shadow → promote → drift cleared');
  const r = await runDriftLoop({
    ...LOOP_DEFAULTS, pumps: o.pumps ?? LOOP_DEFAULTS.pumps, dataDir: join(o.dataDir, 'drift-loop'),
    logger: createLogger({ name: 'drift-loop', level: o.logLevel }), print,
  });
  const missing = LOOP_STEPS.filter((s) => !r.timeline.get(s));
  const span = r.timeline.span('drift-injected', 'promoted');
  if (span) print(`drift injected → challenger promoted: ${(span.fleetMs / 3_600_000).toFixed(1)} fleet hours, ${(span.wallMs / 1000).toFixed(1)} wall seconds`);
  if (missing.length > 0) {
    print(`drift loop ended before: ${missing.join(', ')}${r.shadow?.reason ? ` (${r.shadow.reason})` : ''}`);
    return 1;
  }
  print(`drift loop closed: v${r.champion} → v${r.challenger ?? '?'} on every pump; files in ${join(o.dataDir, 'drift-loop')}`);
  return 0;
}
