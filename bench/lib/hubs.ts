/**
 * Hubs for the benchmarks: one in this process (embedded broker, or a client of an external
 * broker such as Mosquitto), or one in a child process through the real CLI, so a measured
 * process does not share its event loop with the hub.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { startHub } from '../../cloud-hub/hub.ts';
import type { HubHandle } from '../../cloud-hub/hub-api.ts';
import { createLogger } from '../../shared/log/logger.ts';
import { argValue } from './report.ts';
import { freePort, silentLogger, sleep, waitUntil } from './util.ts';

export const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
export const EDGEHIVE_CLI = fileURLToPath(new URL('../../simulators/cli/edgehive.js', import.meta.url));

export interface InProcessHubOptions {
  dataDir: string;
  fleet: string;
  /** External broker URL; the embedded broker (127.0.0.1, a free port) when absent. */
  externalUrl?: string;
}

export function startBenchHub(o: InProcessHubOptions): Promise<HubHandle> {
  return startHub({
    dataDir: o.dataDir,
    fleet: o.fleet,
    mqtt: o.externalUrl ? { mode: 'external', url: o.externalUrl } : { mode: 'embedded', host: '127.0.0.1', port: 0 },
    http: { host: '127.0.0.1', port: 0 },
    bootstrapAdminToken: ADMIN_TOKEN,
    log: { level: 'silent' },
  }, { logger: process.env.EDGEHIVE_BENCH_HUB_LOG ? createLogger({ name: 'hub', level: process.env.EDGEHIVE_BENCH_HUB_LOG }) : silentLogger() });
}

/** --mqtt-url, else EDGEHIVE_TEST_MQTT_URL, else mqtt://127.0.0.1:1883; null when nothing answers there. */
export async function findMosquitto(): Promise<string | null> {
  const url = argValue('mqtt-url') ?? process.env.EDGEHIVE_TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';
  try {
    const c = await mqtt.connectAsync(url, { connectTimeout: 2000, reconnectPeriod: 0, clientId: `edgehive-bench-probe-${process.pid}` });
    await c.endAsync();
    return url;
  } catch {
    return null;
  }
}

/** Clears retained messages (device status) a run left on a shared broker. */
export async function clearRetained(url: string, topics: readonly string[]): Promise<void> {
  if (topics.length === 0) return;
  const c = await mqtt.connectAsync(url, { connectTimeout: 5000, reconnectPeriod: 0, clientId: `edgehive-bench-clean-${process.pid}` });
  try {
    await Promise.all(topics.map((t) => c.publishAsync(t, Buffer.alloc(0), { qos: 1, retain: true })));
  } finally {
    await c.endAsync();
  }
}

export interface ChildHub {
  mqttUrl: string;
  httpUrl: string;
  pid: number;
  /** edgehive_readings_stored_total and edgehive_devices_online from /metrics; null when unreachable. */
  figures(): Promise<{ readingsStored: number; devicesOnline: number } | null>;
  close(): Promise<void>;
}

/**
 * `edgehive hub` as a child process (EDGEHIVE_ADMIN_TOKEN seeds the admin token), on free ports,
 * its output in dataDir/hub.log. Resolves once /healthz answers 200.
 */
export async function startChildHub(dataDir: string, fleet: string): Promise<ChildHub> {
  const [port, httpPort] = [await freePort(), await freePort()];
  mkdirSync(dataDir, { recursive: true });
  const log = openSync(join(dataDir, 'hub.log'), 'a');
  const child: ChildProcess = spawn(process.execPath, [EDGEHIVE_CLI, 'hub', '--fleet', fleet, '--data-dir', dataDir, '--host', '127.0.0.1',
    '--port', String(port), '--http-port', String(httpPort), '--log-level', 'warn'], {
    stdio: ['ignore', log, log], env: { ...process.env, EDGEHIVE_ADMIN_TOKEN: ADMIN_TOKEN },
  });
  closeSync(log);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const httpUrl = `http://127.0.0.1:${httpPort}`;
  await waitUntil('the hub child process to answer /healthz', async () => {
    if (exited) throw new Error(`the hub child process exited; see ${join(dataDir, 'hub.log')}`);
    try {
      return (await fetch(`${httpUrl}/healthz`, { signal: AbortSignal.timeout(1000) })).status === 200;
    } catch {
      return false;
    }
  }, 60_000, 200);
  return {
    mqttUrl: `mqtt://127.0.0.1:${port}`,
    httpUrl,
    pid: child.pid!,
    async figures() {
      try {
        const text = await (await fetch(`${httpUrl}/metrics`, { signal: AbortSignal.timeout(3000) })).text();
        const pick = (name: string) => Number(new RegExp(`^${name} ([0-9.eE+-]+)$`, 'm').exec(text)?.[1] ?? NaN);
        return { readingsStored: pick('edgehive_readings_stored_total'), devicesOnline: pick('edgehive_devices_online') };
      } catch {
        return null;
      }
    },
    async close() {
      process.off('exit', killOnExit);
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exit;
      clearTimeout(timer);
      await sleep(0);
    },
  };
}
