/**
 * `edgehive demo` (npm start): a hub on embedded defaults and a simulated fleet in one process.
 * The data directory is wiped at every start: each demo begins from a fresh hub (new admin
 * token) and fresh devices, and leaves its files behind for a look afterwards.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '../../shared/log/logger.ts';
import { OwnedHub } from '../fleet/owned-hub.ts';
import type { Provisioner } from '../fleet/provision.ts';
import { loadScenarioFile, parseScenario } from '../scenario/schema.ts';
import { numberFlag } from './flags.ts';
import { runFleet } from './run-fleet.ts';
import { untilSignal } from './signals.ts';
import { runDemoDrift } from './demo-drift.ts';
import { scheduleDemoTraining, type DemoTraining } from './demo-training.ts';

export async function runDemoCommand(argv: string[]): Promise<number> {
  const { values: f } = parseArgs({
    args: argv,
    options: {
      devices: { type: 'string' }, scenario: { type: 'string' }, speed: { type: 'string' }, 'period-ms': { type: 'string' },
      'data-dir': { type: 'string', default: '.edgehive/demo' }, port: { type: 'string' }, 'mqtt-port': { type: 'string' },
      process: { type: 'boolean', default: false }, 'log-level': { type: 'string', default: 'warn' },
      'train-after': { type: 'string' }, 'drift-loop': { type: 'boolean', default: false },
      'skip-drift-loop': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const print = (l: string) => console.log(l);
  const logLevel = f['log-level'];
  const dataDir = resolve(f['data-dir']);
  const scenario = f.scenario ? loadScenarioFile(f.scenario) : parseScenario({ name: 'calm', seed: 1, faults: [] });

  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  print(`edgehive demo: fresh data directory ${dataDir}`);
  if (f['drift-loop']) return runDemoDrift({ dataDir, pumps: numberFlag('--devices', f.devices) ?? null, logLevel, print });

  const { startHub } = await import('../../cloud-hub/hub.ts');
  const hub = new OwnedHub({
    dataDir: join(dataDir, 'hub'),
    mqtt: { mode: 'embedded', host: '127.0.0.1', port: numberFlag('--mqtt-port', f['mqtt-port']) ?? 0 },
    http: { host: '127.0.0.1', port: numberFlag('--port', f.port) ?? 8080 },
    log: { level: logLevel },
  }, startHub, { logger: createLogger({ name: 'hub', level: logLevel }) });
  await hub.start();
  print(`hub up: dashboard and API ${hub.httpUrl}/ (OpenAPI ${hub.httpUrl}/api/v1/openapi.json), broker ${hub.mqttUrl}`);
  if (hub.adminToken) print(`admin token: ${hub.adminToken}   e.g. curl -H "Authorization: Bearer ${hub.adminToken}" ${hub.httpUrl}/api/v1/devices`);

  const provisioner: Provisioner = { provision: async (input) => (await hub.handle.provision(input, 'demo')).agentConfig };
  const signal = untilSignal(print, 'agents flush and say goodbye, then the hub closes');
  let running;
  let training: DemoTraining | null = null;
  // The drift loop chained after the first rollout (decision 0014): its own fast-clock hub and
  // pumps, so its lines carry a prefix to tell them from the calm fleet's.
  const loopStop = new AbortController();
  let loop: Promise<number> | null = null;
  const startLoop = () => {
    if (loop || f['skip-drift-loop']) return;
    const say = (l: string) => print(`drift-loop │ ${l}`);
    print('the pumps run the model; next, the closed drift loop on ten more pumps with a fast fleet clock (--skip-drift-loop turns this off)');
    // Its hub's warnings (a development root) were already printed for the demo's own hub.
    loop = runDemoDrift({ dataDir, pumps: null, logLevel: ['trace', 'debug', 'info'].includes(logLevel) ? logLevel : 'error', print: say, signal: loopStop.signal })
      .then((code) => { print(code === 0 ? 'drift loop done; the calm fleet keeps running (Ctrl-C stops the demo)' : 'drift loop did not close; the calm fleet keeps running'); return code; });
  };
  try {
    running = await runFleet({
      scenario,
      devices: numberFlag('--devices', f.devices) ?? 50,
      speed: numberFlag('--speed', f.speed) ?? scenario.speed ?? 60,
      periodMs: numberFlag('--period-ms', f['period-ms']) ?? scenario.periodMs ?? 1000,
      dataDir, mode: f.process ? 'process' : 'in-process', provisioner, hub,
      hubFigures: async () => hub.metrics(),
      logLevel, logger: createLogger({ name: 'sim', level: logLevel }), print,
    });
    const trainAfterS = numberFlag('--train-after', f['train-after']) ?? 60;
    if (trainAfterS > 0) {
      training = scheduleDemoTraining(() => hub.handle, trainAfterS * 1000, print, startLoop);
      print(`in ${trainAfterS} s the hub trains pump-anomaly on what the pumps have sent (--train-after 0 turns this off)`);
    }
    print('Ctrl-C stops the demo.');
    await signal.promise;
  } finally {
    training?.stop();
    loopStop.abort();
    await loop;
    await running?.stop();
    await hub.close();
    signal.dispose();
  }
  print('demo stopped: agents stopped, hub closed');
  return 0;
}
