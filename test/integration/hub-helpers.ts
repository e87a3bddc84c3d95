/**
 * Helpers for the hub's integration tests: a real hub on random ports in a temp dir, devices
 * with real ed25519 identities, raw mqtt.js clients, metrics read over real HTTP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { startHub } from '../../cloud-hub/hub.ts';
import type { HubConfigInput } from '../../cloud-hub/config/hub-config.ts';
import type { HubHandle } from '../../cloud-hub/hub-api.ts';
import { generateKeyPair, toBase64, type KeyPair } from '../../shared/crypto/ed25519.ts';
import { makeMqttPassword } from '../../shared/crypto/mqtt-auth.ts';
import { silentLogger } from '../../shared/log/logger.ts';
import { encode } from '../../shared/protocol/codec.ts';
import { topicsFor } from '../../shared/protocol/topics.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const T0 = Date.UTC(2026, 0, 1);
export const FEATURES = Array.from({ length: 4 }, (_, i) => `f${i}`);

export interface TestHub { hub: HubHandle; dir: string; fleet: string; close(): Promise<void> }

export async function startTestHub(more: Partial<HubConfigInput> = {}): Promise<TestHub> {
  const dir = mkdtempSync(join(tmpdir(), 'edgehive-hub-test-'));
  const fleet = more.fleet ?? 'test';
  const hub = await startHub({
    dataDir: dir, fleet, mqtt: { port: 0 }, http: { port: 0 }, bootstrapAdminToken: ADMIN_TOKEN, ...more,
  } as HubConfigInput, { logger: silentLogger() });
  return {
    hub, dir, fleet,
    close: async () => {
      await hub.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TestDevice { id: string; keys: KeyPair; lastTs: number }

export async function provisionDevice(hub: HubHandle, id: string, keys = generateKeyPair()): Promise<TestDevice> {
  await hub.provision({ id, profile: 'test-profile', publicKey: toBase64(keys.publicKey) });
  return { id, keys, lastTs: 0 };
}

/** A fresh password: the hub refuses a timestamp it has seen, so each one moves forward. */
export function password(fleet: string, d: TestDevice, seed = d.keys.seed): string {
  d.lastTs = Math.max(Date.now(), d.lastTs + 1);
  return makeMqttPassword(fleet, d.id, seed, d.lastTs);
}

export function connectRaw(url: string, clientId: string, username: string | undefined, pass: string | undefined): Promise<MqttClient> {
  return mqtt.connectAsync(url, {
    clientId, reconnectPeriod: 0, connectTimeout: 5000, protocolVersion: 4,
    ...(username !== undefined ? { username } : {}), ...(pass !== undefined ? { password: pass } : {}),
  });
}

export function connectDevice(url: string, fleet: string, d: TestDevice): Promise<MqttClient> {
  return connectRaw(url, d.id, d.id, password(fleet, d));
}

/** Reading i of a test batch: values derived from (device, seq) so every stored row can be checked. */
export function expectedValues(seq: number): number[] {
  return FEATURES.map((_, f) => seq * 10 + f + 0.25);
}

export function telemetry(firstSeq: number, n: number, stream = 'main', droppedTotal = 0): Uint8Array {
  return encode('telemetry', {
    stream, firstSeq, features: FEATURES, droppedTotal,
    readings: Array.from({ length: n }, (_, i) => ({ tsMs: T0 + (firstSeq + i) * 1000, values: expectedValues(firstSeq + i) })),
  });
}

export function publish(c: MqttClient, topic: string, payload: Uint8Array | Buffer): Promise<unknown> {
  return c.publishAsync(topic, Buffer.from(payload), { qos: 1 });
}

export function topic(fleet: string, device: string, kind: Parameters<ReturnType<typeof topicsFor>['device']>[1]): string {
  return topicsFor(fleet).device(device, kind);
}

export async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** /metrics over real HTTP, as `name{labels}` → value. */
export async function scrape(httpUrl: string): Promise<Map<string, number>> {
  const res = await fetch(`${httpUrl}/metrics`);
  const out = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

export async function api<T = unknown>(httpUrl: string, path: string, token = ADMIN_TOKEN): Promise<{ status: number; body: T }> {
  const res = await fetch(`${httpUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as T };
}
