/**
 * The demo's drift loop (simulators/fleet/drift-loop.ts, the driver the e2e test and the bench
 * run), each step printed as it happens with fleet and wall time: the champion trained and rolled
 * out in waves, a pressure offset injected on 30 % of the pumps, detected, retrained, shadowed,
 * promoted in waves, and the drift back under threshold.
 *
 * Plain `npm start` runs it after the calm demo's first rollout; `npm start -- --drift-loop` runs
 * only the loop and exits. Either way it has its own hub and pumps on an accelerated fleet clock
 * that hub and fleet share (decision 0014): the drift policy's windows, cool-down and held-out
 * span are hub-clock spans over fleet-time readings, while the calm demo's hub must stay on wall
 * time for the operator (tokens, soak times, the dashboard's "last seen").
 */
import { join } from 'node:path';
import { createLogger } from '../../shared/log/logger.ts';
import { LOOP_DEFAULTS, runDriftLoop } from '../fleet/drift-loop.ts';
import { LOOP_STEPS } from '../fleet/drift-loop-steps.ts';

export interface DemoDriftOptions {
  dataDir: string;
  pumps: number | null;
  logLevel: string;
  print: (l: string) => void;
  /** Ends the loop at its next wait (Ctrl-C in the calm demo). */
  signal?: AbortSignal;
}

/** Runs the loop to the end; 0 when every step happened, 1 otherwise (the reason printed). */
export async function runDemoDrift(o: DemoDriftOptions): Promise<number> {
  const { print } = o;
  const dir = join(o.dataDir, 'drift-loop');
  print('drift loop: champion → drift on 30 % of the pumps → detect → retrain → shadow → promote → drift cleared');
  let r;
  try {
    r = await runDriftLoop({
      ...LOOP_DEFAULTS, pumps: o.pumps ?? LOOP_DEFAULTS.pumps, dataDir: dir,
      logger: createLogger({ name: 'drift-loop', level: o.logLevel }), print,
      ...(o.signal ? { signal: o.signal } : {}),
    });
  } catch (e) {
    print(`drift loop ended: ${(e as Error).message}`);
    return 1;
  }
  const missing = LOOP_STEPS.filter((s) => !r.timeline.get(s));
  const span = r.timeline.span('drift-injected', 'promoted');
  if (span) print(`drift injected → challenger promoted: ${(span.fleetMs / 3_600_000).toFixed(1)} fleet hours, ${(span.wallMs / 1000).toFixed(1)} wall seconds`);
  if (missing.length > 0) {
    print(`drift loop ended before: ${missing.join(', ')}${r.shadow?.reason ? ` (${r.shadow.reason})` : ''}`);
    return 1;
  }
  print(`drift loop closed: v${r.champion} → v${r.challenger ?? '?'} on every pump; files in ${dir}`);
  return 0;
}
