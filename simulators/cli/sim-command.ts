/**
 * `edgehive sim`: a simulated fleet against a hub that runs elsewhere. Devices are provisioned
 * over the HTTP API; the data directory is kept between runs so the same identities come back.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EdgehiveError } from '../../shared/errors/index.ts';
import { createLogger } from '../../shared/log/logger.ts';
import { prometheusFigures } from '../fleet/progress.ts';
import { httpProvisioner } from '../fleet/provision.ts';
import { loadScenarioFile, parseScenario } from '../scenario/schema.ts';
import { numberFlag } from './flags.ts';
import { runFleet } from './run-fleet.ts';
import { untilSignal } from './signals.ts';

export async function runSimCommand(argv: string[]): Promise<number> {
  const { values: f } = parseArgs({
    args: argv,
    options: {
      hub: { type: 'string' }, api: { type: 'string', default: 'http://127.0.0.1:8080' }, token: { type: 'string' },
      devices: { type: 'string' }, scenario: { type: 'string' }, speed: { type: 'string' }, 'period-ms': { type: 'string' },
      'data-dir': { type: 'string', default: '.edgehive/sim' }, process: { type: 'boolean', default: false },
      'log-level': { type: 'string', default: 'warn' },
    },
    strict: true,
  });
  const token = f.token ?? process.env.EDGEHIVE_TOKEN;
  if (!token) throw new EdgehiveError('EH_CONFIG_INVALID', 'edgehive sim needs an admin token: --token T or EDGEHIVE_TOKEN (the hub prints it at its first start)');
  const scenario = f.scenario ? loadScenarioFile(f.scenario) : parseScenario({ name: 'calm', seed: 1, faults: [] });
  const print = (l: string) => console.log(l);
  const logLevel = f['log-level'];
  const running = await runFleet({
    scenario,
    devices: numberFlag('--devices', f.devices) ?? scenario.devices ?? 10,
    speed: numberFlag('--speed', f.speed) ?? scenario.speed ?? 60,
    periodMs: numberFlag('--period-ms', f['period-ms']) ?? scenario.periodMs ?? 1000,
    dataDir: resolve(f['data-dir']),
    mode: f.process ? 'process' : 'in-process',
    provisioner: httpProvisioner(f.api, token),
    ...(f.hub ? { mqttUrl: f.hub } : {}),
    hub: null,
    hubFigures: prometheusFigures(f.api, token),
    logLevel,
    logger: createLogger({ name: 'sim', level: logLevel }),
    print,
  });
  const signal = untilSignal(print);
  const why = await Promise.race([signal.promise, running.scenarioDone.then(() => 'end' as const)]);
  if (why === 'end') {
    print('scenario finished; waiting for the outboxes to drain (Ctrl-C to stop now)');
    await Promise.race([signal.promise, drained(running.fleet.totals.bind(running.fleet))]);
  }
  await running.stop();
  signal.dispose();
  print('simulator stopped');
  return 0;
}

async function drained(totals: () => { outboxRecords: number }): Promise<void> {
  while (totals().outboxRecords > 0) await new Promise((r) => setTimeout(r, 500));
}
