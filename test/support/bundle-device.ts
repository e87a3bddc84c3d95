/**
 * One agent on a plain broker for the bundle tests: its config (with the fleet's root), a sensor
 * the test drives, the scores its model produced, and a second MQTT client that watches the
 * agent's retained reported state as the hub would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type * as Mqtt from 'mqtt';
import { Agent } from '../../edge-agent/agent.ts';
import type { AgentDeps, BundleState } from '../../edge-agent/agent-api.ts';
import type { ScoredReading } from '../../edge-agent/runtime/model-host.ts';
import type { SensorAdapter, SensorReading, SensorSink } from '../../edge-agent/sensors/types.ts';
import type { RootBody } from '../../shared/bundle/index.ts';
import { parseAgentConfig, type AgentConfig } from '../../shared/config/agent-config.ts';
import { silentLogger } from '../../shared/log/logger.ts';
import { decode } from '../../shared/protocol/codec.ts';
import type { ReportedState } from '../../shared/protocol/messages.ts';
import { topicsFor } from '../../shared/protocol/topics.ts';
import { FEATURES, FLEET, PROFILE, STREAM } from './bundle-agent-fixtures.ts';

const { connect } = createRequire(import.meta.url)('mqtt') as typeof Mqtt;

export function tempDir(prefix = 'edgehive-bundles-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function deviceConfig(o: { url: string; deviceId: string; dataDir: string; root: RootBody | null; bundles?: Partial<AgentConfig['bundles']>; fleet?: string; profile?: string }): AgentConfig {
  return parseAgentConfig({
    fleet: o.fleet ?? FLEET, deviceId: o.deviceId, profile: o.profile ?? PROFILE, dataDir: o.dataDir,
    hub: { mqttUrl: o.url }, sensors: [],
    uplink: { reconnectMinMs: 50, reconnectMaxMs: 200, ackTimeoutMs: 2000 },
    bundles: { ...(o.root ? { root: o.root } : {}), reportEveryMs: 60_000, ...o.bundles },
    log: { level: 'silent' },
  });
}

/** Readings of STREAM the test pushes: value i is [i % 10, (i * 3) % 7]. */
export class DrivenSensor implements SensorAdapter {
  readonly stream = STREAM;
  readonly features = [...FEATURES];
  #sink: SensorSink | null = null;
  #next = 0;
  start(sink: SensorSink): void { this.#sink = sink; }
  async stop(): Promise<void> { this.#sink = null; }
  emit(n: number): void {
    const rs: SensorReading[] = [];
    for (let k = 0; k < n; k++, this.#next++) rs.push({ tsMs: 1_700_000_000_000 + this.#next, values: [this.#next % 10, (this.#next * 3) % 7] });
    this.#sink?.push(rs);
  }
}

export interface Device {
  agent: Agent;
  config: AgentConfig;
  sensor: DrivenSensor;
  scores: ScoredReading[];
}

export async function startDevice(config: AgentConfig, deps: AgentDeps = {}): Promise<Device> {
  const sensor = new DrivenSensor();
  const scores: ScoredReading[] = [];
  const agent = new Agent(config, { logger: silentLogger(), sensors: [sensor], onScore: (s) => scores.push(s), ...deps });
  await agent.start();
  return { agent, config, sensor, scores };
}

export async function waitFor(what: string, pred: () => boolean, timeoutMs = 10_000, describe?: () => unknown): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!pred()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}${describe ? `: ${JSON.stringify(describe())}` : ''}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

/** Waits until the agent's bundle state satisfies `pred`; the state is in the failure message. */
export function waitForBundle(agent: Agent, what: string, pred: (s: BundleState) => boolean, timeoutMs = 10_000): Promise<void> {
  return waitFor(what, () => pred(agent.bundleState()), timeoutMs, () => agent.bundleState());
}

/** Watches devices' retained reported states as the hub does. */
export class ReportWatcher {
  readonly #client: Mqtt.MqttClient;
  readonly latest = new Map<string, ReportedState>();
  readonly all: Array<{ device: string; state: ReportedState }> = [];

  private constructor(client: Mqtt.MqttClient) {
    this.#client = client;
    client.on('message', (topic, payload) => {
      const device = topic.split('/')[4]!;
      if (payload.length === 0) return;
      const state = decode('reported', payload);
      this.latest.set(device, state);
      this.all.push({ device, state });
    });
  }

  static async start(url: string, fleet = FLEET): Promise<ReportWatcher> {
    const client = connect(url, { clientId: `watcher-${process.pid}-${Math.random().toString(16).slice(2)}`, reconnectPeriod: 100 });
    await new Promise<void>((resolve, reject) => { client.once('connect', () => resolve()); client.once('error', reject); });
    await client.subscribeAsync(topicsFor(fleet).allDevices('reported'), { qos: 1 });
    return new ReportWatcher(client);
  }

  phases(device: string): string[] {
    return this.all.filter((r) => r.device === device).map((r) => r.state.phase);
  }

  async close(): Promise<void> {
    await this.#client.endAsync(true);
  }
}
