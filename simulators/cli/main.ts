/**
 * The `edgehive` command router. Each subcommand is imported only when asked for, so
 * `edgehive agent` on a device never loads the hub (fastify, aedes, the store).
 */
import { isEdgehiveError } from '../../shared/errors/index.ts';
import { usage } from './usage.ts';

type Command = (argv: string[]) => Promise<number | void>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  hub: async () => (await import('../../cloud-hub/cli.ts')).runHubCommand,
  agent: async () => {
    const [{ runAgentCommand }, { SIM_SENSOR_FACTORIES }] = await Promise.all([import('../../edge-agent/cli.ts'), import('../sensors/sim-adapter.ts')]);
    return (argv) => runAgentCommand(argv, SIM_SENSOR_FACTORIES);
  },
  sim: async () => (await import('./sim-command.ts')).runSimCommand,
  demo: async () => (await import('./demo-command.ts')).runDemoCommand,
  train: async () => (await import('./train-command.ts')).runTrainCommand,
  detect: async () => (await import('./detect-command.ts')).runDetectCommand,
  keys: async () => (await import('./keys-command.ts')).runKeysCommand,
  bundle: async () => (await import('./bundle-command.ts')).runBundleCommand,
};

const HELP = new Set(['help', '--help', '-h']);

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || HELP.has(name)) {
    console.log(usage(rest[0]));
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    console.error(`edgehive: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  // Our own commands print their help here; hub and agent own their flags and help.
  if (['sim', 'demo', 'train', 'detect', 'keys', 'bundle'].includes(name) && rest.some((a) => HELP.has(a))) {
    console.log(usage(name));
    return 0;
  }
  const code = await (await load())(rest);
  return typeof code === 'number' ? code : 0;
}

try {
  const code = await main(process.argv.slice(2));
  process.exitCode = code;
} catch (e) {
  if (isEdgehiveError(e)) console.error(`edgehive: ${e.message} [${e.code}]`);
  else console.error(e);
  process.exitCode = 1;
}
