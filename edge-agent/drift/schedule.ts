/**
 * Scheduled drift reports with node-cron, loaded on first use through createRequire (as
 * uplink/connection.ts loads mqtt): an agent without a drift reference never loads it.
 */
import { createRequire } from 'node:module';
import type * as NodeCron from 'node-cron';
import { EdgehiveError } from '../../shared/errors/index.ts';

let cron: typeof NodeCron | null = null;
let made = 0;

export interface Schedule { stop(): void }

/**
 * Calls `run` at each tick of the node-cron `expression` (five fields, or six with seconds
 * first), on wall time. EH_CONFIG_INVALID for an expression node-cron does not accept.
 */
export function schedule(expression: string, run: () => void): Schedule {
  cron ??= createRequire(import.meta.url)('node-cron') as typeof NodeCron;
  const c = cron;
  if (!c.validate(expression)) throw new EdgehiveError('EH_CONFIG_INVALID', `drift.schedule ${JSON.stringify(expression)} is not a cron expression (e.g. "*/15 * * * *")`);
  // node-cron keeps every task in a global map until the process ends; a named task can be taken
  // out again, so an agent that loads many models (or a simulator of many agents) does not leak.
  const name = `edgehive-drift-${process.pid}-${++made}`;
  const task = c.schedule(expression, () => run(), { name });
  return {
    stop: () => {
      task.stop();
      c.getTasks().delete(name);
    },
  };
}
