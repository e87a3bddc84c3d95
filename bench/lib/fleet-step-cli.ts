/**
 * One fleet step in a process of its own, so every step starts from a fresh heap and its RSS and
 * event-loop delay are its own: `node --import tsx bench/lib/fleet-step-cli.ts '<StepOptions JSON>'`
 * prints the StepResult as one JSON line after RESULT_MARK. bench/fleet.ts runs it.
 */
import { runFleetStep, type StepOptions } from './fleet-step.ts';

export const RESULT_MARK = 'FLEET-STEP-RESULT ';

const arg = process.argv[2];
if (!arg) throw new Error("usage: fleet-step-cli.ts '{\"devices\":100,\"windowS\":10,\"hub\":\"child\"}'");
const result = await runFleetStep(JSON.parse(arg) as StepOptions);
process.stdout.write(`${RESULT_MARK}${JSON.stringify(result)}\n`);
process.exit(0); // stray timers of stopped agents must not hold the process
