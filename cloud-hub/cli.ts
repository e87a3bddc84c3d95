/**
 * `edgehive hub`: reads a config file and flags, starts the hub, prints where it listens, and
 * stops cleanly on SIGINT/SIGTERM. The `edgehive` dispatcher (simulators/cli) calls this.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { EdgehiveError } from '../shared/errors/index.ts';
import { parseHubConfig, type HubConfig } from './config/hub-config.ts';
import { startHub } from './hub.ts';

export const HUB_USAGE = `Usage: edgehive hub [--config hub.json] [options]

Runs the hub: the embedded MQTT broker (or a client of an external one), the ingest, the store
(SQLite, or PostgreSQL with --pg) and the HTTP API. Flags override the config file.

Options:
  --config FILE      hub config JSON (see cloud-hub/README.md)
  --fleet ID         fleet id (default "default")
  --data-dir DIR     where the SQLite store lives (default ./.edgehive/hub)
  --host H           interface of the embedded broker (default 0.0.0.0)
  --port N           embedded broker port (default 1883; 0 = any free port)
  --tls-cert FILE    PEM certificate: also serve MQTT over TLS
  --tls-key FILE     PEM private key for --tls-cert
  --tls-port N       MQTT over TLS port (default 8883)
  --mqtt-url URL     use this external broker instead of the embedded one
  --public-mqtt-url URL   broker URL handed to agents at provisioning
  --http-host H      HTTP API interface (default 127.0.0.1)
  --http-port N      HTTP API port (default 8080; 0 = any free port)
  --pg URL           PostgreSQL store (postgres://...) instead of SQLite
  --log-level L      trace, debug, info, warn, error (default info)

Environment:
  EDGEHIVE_ADMIN_TOKEN   seed this admin token instead of generating one on first start`;

const STRING_FLAGS = ['config', 'fleet', 'data-dir', 'host', 'port', 'tls-cert', 'tls-key', 'tls-port', 'mqtt-url', 'public-mqtt-url',
  'http-host', 'http-port', 'pg', 'log-level'];

function int(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new EdgehiveError('EH_CONFIG_INVALID', `--${flag} must be a non-negative integer, got ${JSON.stringify(v)}`);
  return Number(v);
}

function readConfigFile(path: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new EdgehiveError('EH_CONFIG_INVALID', `cannot read hub config ${path}: ${(e as Error).message}`);
  }
}

/** Config file + flags + environment → a validated HubConfig. */
export function hubConfigFromArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): HubConfig | null {
  const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } };
  for (const k of STRING_FLAGS) options[k] = { type: 'string' };
  const f = parseArgs({ args: argv, strict: true, options }).values as Record<string, string | boolean | undefined>;
  if (f.help) return null;
  const s = (k: string) => f[k] as string | undefined;
  const raw = s('config') ? readConfigFile(s('config')!) : {};
  const cfg: Record<string, unknown> = { dataDir: './.edgehive/hub', ...raw };
  const obj = (k: string) => ({ ...((cfg[k] as Record<string, unknown> | undefined) ?? {}) });
  if (s('fleet')) cfg.fleet = s('fleet');
  if (s('data-dir')) cfg.dataDir = s('data-dir');
  if (s('public-mqtt-url')) cfg.publicMqttUrl = s('public-mqtt-url');
  if (s('mqtt-url')) {
    cfg.mqtt = { mode: 'external', url: s('mqtt-url') };
  } else if (s('host') || s('port') || s('tls-cert') || s('tls-key') || s('tls-port')) {
    const m = obj('mqtt');
    if (s('host')) m.host = s('host');
    if (s('port')) m.port = int('port', s('port'));
    if (s('tls-cert') || s('tls-key')) {
      if (!s('tls-cert') || !s('tls-key')) throw new EdgehiveError('EH_CONFIG_INVALID', '--tls-cert and --tls-key go together');
      m.tls = { certFile: s('tls-cert'), keyFile: s('tls-key'), ...(s('tls-port') ? { port: int('tls-port', s('tls-port')) } : {}) };
    }
    cfg.mqtt = m;
  }
  if (s('http-host') || s('http-port')) {
    const h = obj('http');
    if (s('http-host')) h.host = s('http-host');
    if (s('http-port')) h.port = int('http-port', s('http-port'));
    cfg.http = h;
  }
  if (s('pg')) cfg.store = { kind: 'postgres', url: s('pg') };
  if (s('log-level')) cfg.log = { level: s('log-level') };
  if (env.EDGEHIVE_ADMIN_TOKEN && cfg.bootstrapAdminToken === undefined) cfg.bootstrapAdminToken = env.EDGEHIVE_ADMIN_TOKEN;
  return parseHubConfig(cfg, s('config') ?? 'hub config');
}

/** Runs until SIGINT or SIGTERM, then closes the hub and returns. */
export async function runHubCommand(argv: string[]): Promise<void> {
  const config = hubConfigFromArgs(argv);
  if (!config) {
    console.log(HUB_USAGE);
    return;
  }
  const hub = await startHub(config);
  console.log(`edgehive hub: fleet "${config.fleet}", store ${hub.store.kind}`);
  console.log(`  MQTT  ${hub.mqttUrl}${config.mqtt.mode === 'external' ? ' (external broker)' : ''}`);
  if (config.mqtt.mode === 'embedded' && config.mqtt.tls) console.log(`  MQTTS port ${config.mqtt.tls.port}`);
  console.log(`  HTTP  ${hub.httpUrl}  (API ${hub.httpUrl}/api/v1, metrics ${hub.httpUrl}/metrics)`);
  console.log('Ctrl-C stops it.');
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      console.log(`\n${signal}: stopping the hub...`);
      hub.close().then(resolve, (e: unknown) => {
        console.error(`error while stopping: ${(e as Error).message}`);
        resolve();
      });
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
  });
}
