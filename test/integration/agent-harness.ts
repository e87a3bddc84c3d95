/**
 * Helpers for the agent integration tests: a real hub (embedded aedes or an external broker),
 * provisioned agents, an in-test sensor whose readings are known, and a reading-by-reading check
 * of what the hub stored.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHub } from '../../cloud-hub/hub.ts';
import type { HubHandle } from '../../cloud-hub/hub-api.ts';
import { Agent } from '../../edge-agent/agent.ts';
import { loadOrCreateIdentity } from '../../edge-agent/identity/identity.ts';
import type { SensorAdapter, SensorReading, SensorSink } from '../../edge-agent/sensors/types.ts';
import { parseAgentConfig, type AgentConfig } from '../../shared/config/agent-config.ts';
import { silentLogger } from '../../shared/log/logger.ts';
export { freePort } from '../support/net.ts';

export const T0 = 1_700_000_000_000;
export const ADMIN_TOKEN = 'agent-test-admin-token-0123456789';

export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}


export interface HubPlace {
  dataDir: string;
  fleet: string;
  mqttPort?: number;
  httpPort?: number;
  externalUrl?: string;
  tls?: { certFile: string; keyFile: string; port: number };
}

/** Starts a hub; with ports from an earlier start it comes back on the same ones. */
export function startTestHub(p: HubPlace): Promise<HubHandle> {
  return startHub({
    dataDir: p.dataDir,
    fleet: p.fleet,
    mqtt: p.externalUrl ? { mode: 'external', url: p.externalUrl } : { mode: 'embedded', host: '127.0.0.1', port: p.mqttPort ?? 0, ...(p.tls ? { tls: p.tls } : {}) },
    http: { host: '127.0.0.1', port: p.httpPort ?? 0 },
    bootstrapAdminToken: ADMIN_TOKEN,
    log: { level: 'silent' },
  }, { logger: silentLogger() });
}

export function portOf(url: string): number {
  return Number(new URL(url).port);
}

/** Creates the agent's identity, registers it at the hub, returns a full agent config. */
export async function provisionedConfig(hub: HubHandle, deviceId: string, dataDir: string, over: Partial<AgentConfig> = {}): Promise<AgentConfig> {
  const id = loadOrCreateIdentity(dataDir);
  const { agentConfig } = await hub.provision({ id: deviceId, profile: 'test-profile', publicKey: id.publicKeyBase64 });
  return parseAgentConfig({
    ...agentConfig,
    dataDir,
    uplink: { reconnectMinMs: 50, reconnectMaxMs: 250, ackTimeoutMs: 2000 },
    ...over,
  });
}

/** A sensor the test drives: reading i has ts T0 + i and values [i, i / 2], NaN in the second when i % 7 == 3. */
export class ScriptedSensor implements SensorAdapter {
  readonly features = ['a', 'b'] as const;
  sink: SensorSink | null = null;
  next = 0;
  constructor(readonly stream: string) {}
  start(sink: SensorSink, resume: { lastTsMs: number | null }): void {
    this.sink = sink;
    if (resume.lastTsMs !== null) this.next = resume.lastTsMs - T0 + 1;
  }
  async stop(): Promise<void> { this.sink = null; }
  emit(n: number): number {
    const rs: SensorReading[] = [];
    for (let k = 0; k < n; k++, this.next++) rs.push({ tsMs: T0 + this.next, values: [this.next, this.next % 7 === 3 ? NaN : this.next / 2] });
    this.sink?.push(rs);
    return this.next;
  }
}

export async function waitFor(what: string, pred: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!(await pred())) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function drained(agent: Agent, timeoutMs = 15_000): Promise<void> {
  agent.flush();
  await waitFor(`agent ${agent.deviceId} outbox to empty (${JSON.stringify(agent.stats())})`, () => agent.stats().outboxRecords === 0, timeoutMs);
}

/**
 * Asserts the hub holds exactly seqs `1..count` of `stream` for `device`, once each, each with the
 * ScriptedSensor's values (reading i has seq i + 1 when nothing was dropped).
 */
export async function assertStoredExactly(hub: HubHandle, device: string, stream: string, count: number): Promise<void> {
  const page = await hub.store.queryTelemetry(device, { stream, limit: count + 1000 });
  const seqs = page.readings.map((r) => r.seq).sort((a, b) => a - b);
  assert.equal(seqs.length, count, `${device}/${stream}: ${seqs.length} readings stored, expected ${count}`);
  for (let i = 0; i < seqs.length; i++) assert.equal(seqs[i], i + 1, `${device}/${stream}: seq ${i + 1} missing or doubled`);
  for (const r of page.readings) {
    const i = r.seq - 1;
    assert.equal(r.tsMs, T0 + i);
    assert.deepEqual(r.values, [i, i % 7 === 3 ? null : i / 2], `values of seq ${r.seq}`);
  }
}

export async function getJson(url: string): Promise<Record<string, unknown>> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  assert.equal(res.status, 200, `GET ${url}: ${res.status}`);
  return (await res.json()) as Record<string, unknown>;
}

export { Agent };
