/**
 * `edgehive agent --config agent.json` runs an agent until SIGINT/SIGTERM (then stops it
 * gracefully); `edgehive agent keygen --data-dir D` creates the device identity and prints its
 * public key for provisioning. Called by the dispatcher in simulators/cli/ with the arguments
 * after `agent`.
 */
import { parseArgs } from 'node:util';
import { EdgehiveError } from '../shared/errors/index.ts';
import { createLogger } from '../shared/log/logger.ts';
import { Agent } from './agent.ts';
import type { AgentStats } from './agent-api.ts';
import { loadAgentConfig } from './config/load-config.ts';
import { loadOrCreateIdentity } from './identity/identity.ts';
import type { SensorFactory } from './sensors/types.ts';

export const AGENT_USAGE = `usage:
  edgehive agent --config agent.json [--quiet] [--log-level info]
      run the agent until Ctrl-C (SIGINT) or SIGTERM, then stop it gracefully
  edgehive agent keygen --data-dir DIR
      create DIR/identity.key (mode 0600) if missing and print the base64 public key
      to register with POST /api/v1/devices`;

const STATUS_EVERY_MS = 5000;

export function statusLine(deviceId: string, s: AgentStats): string {
  const dropped = Object.values(s.dropped).reduce((a, b) => a + b, 0);
  return `agent ${deviceId}: ${s.connected ? 'connected' : 'offline'}, backlog ${s.outboxRecords} records `
    + `(${s.outboxReadings} readings, ${Math.round(s.outboxBytes / 1024)} KiB), appended ${s.readingsAppended}, `
    + `acked ${s.readingsAcked}, dropped ${dropped}, resends ${s.resends}, reconnects ${s.reconnects}`;
}

export async function runAgentCommand(argv: string[], extraFactories?: Record<string, SensorFactory>): Promise<void> {
  const args = argv[0] === 'agent' ? argv.slice(1) : argv;
  if (args[0] === 'keygen') return keygen(args.slice(1));
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        config: { type: 'string', short: 'c' },
        quiet: { type: 'boolean', short: 'q', default: false },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (e) {
    throw new EdgehiveError('EH_BAD_REQUEST', `${(e as Error).message}\n${AGENT_USAGE}`);
  }
  if (values.help) {
    console.log(AGENT_USAGE);
    return;
  }
  if (!values.config) throw new EdgehiveError('EH_BAD_REQUEST', `--config is required\n${AGENT_USAGE}`);
  const config = loadAgentConfig(values.config);
  const logger = createLogger({ name: 'agent', level: values['log-level'] ?? config.log.level });
  const agent = new Agent(config, { logger, ...(extraFactories ? { sensorFactories: extraFactories } : {}) });
  await agent.start();
  console.log(`agent ${agent.deviceId} started; public key ${Buffer.from(agent.publicKey).toString('base64')}; hub ${config.hub.mqttUrl}`);
  // The ticker also keeps the process alive until a signal comes.
  const ticker = setInterval(() => { if (!values.quiet) console.log(statusLine(agent.deviceId, agent.stats())); }, STATUS_EVERY_MS);
  await new Promise<void>((resolve) => {
    const onSignal = (sig: NodeJS.Signals) => {
      console.log(`agent ${agent.deviceId}: ${sig}, stopping`);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      // A second signal while stopping ends the process at once.
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  clearInterval(ticker);
  await agent.stop();
  if (!values.quiet) console.log(statusLine(agent.deviceId, agent.stats()));
}

function keygen(argv: string[]): void {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { 'data-dir': { type: 'string', short: 'd' } }, strict: true }));
  } catch (e) {
    throw new EdgehiveError('EH_BAD_REQUEST', `${(e as Error).message}\n${AGENT_USAGE}`);
  }
  const dir = values['data-dir'];
  if (!dir) throw new EdgehiveError('EH_BAD_REQUEST', `--data-dir is required\n${AGENT_USAGE}`);
  const id = loadOrCreateIdentity(dir);
  console.error(id.created ? `created ${id.path}` : `using existing ${id.path}`);
  console.log(id.publicKeyBase64);
}
