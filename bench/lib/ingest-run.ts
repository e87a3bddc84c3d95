/**
 * One end-to-end ingest measurement: a fresh hub, `devices` provisioned agents whose outboxes
 * already hold the readings (copies of one pre-filled agent.db), then every agent connects at
 * once and the clock runs until the hub's store holds every reading and every outbox is empty
 * (each batch committed AND acked, since a row leaves an outbox only on its ack).
 *
 * The agents run in a child process by default (lib/agents-child.ts), as on devices of their
 * own they would not share the hub's event loop; `agentsIn: 'hub'` runs them in this process.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { HubHandle } from '../../cloud-hub/hub-api.ts';
import type { TelemetryWrite } from '../../cloud-hub/store/types.ts';
import { topicsFor } from '../../shared/protocol/topics.ts';
import type { AgentConfig } from '../../shared/config/agent-config.ts';
import { deviceId, makeAgents, outboxRecords, provisionDevices } from './agents.ts';
import type { ChildStats, FromChild, ToChild } from './agents-child.ts';
import { forkChildRpc } from './child-rpc.ts';
import { clearRetained, startBenchHub } from './hubs.ts';
import { startProfile } from './profile.ts';
import { median } from './report.ts';
import { say, tempDir, waitUntil } from './util.ts';

export interface IngestRunOptions {
  devices: number;
  readingsPerDevice: number;
  /** agent.db holding readingsPerDevice readings, copied to every device. */
  templateDb: string;
  /** External broker URL (hub in external-broker mode); embedded broker when absent. */
  externalUrl?: string;
  /** Write a CPU profile of the measured window to this directory. */
  profileDir?: string;
  profileName?: string;
  /** Where the agents run: a child process (default) or the hub's own process. */
  agentsIn?: 'child' | 'hub';
}

/** What the hub's flushes looked like: one entry per writeTelemetry call. */
export interface FlushShape { calls: number; medianWritesPerCall: number; medianReadingsPerWrite: number; maxWritesPerCall: number }

export interface IngestRunResult {
  readings: number;
  seconds: number;
  readingsPerS: number;
  /** Seconds until the hub counted every device online (its birth message processed). */
  connectSeconds: number;
  duplicates: number;
  rejects: Record<string, number>;
  resends: number;
  flushes: FlushShape;
  /** CPU seconds of this process per wall second during the run (2 = both of 2 cores busy). */
  cpuPerWallS: number;
  /** CPU seconds of the agents' child process per wall second (0 when they run in this process). */
  agentsCpuPerWallS: number;
  agentsIn: 'child' | 'hub';
  /** Event-loop utilisation of this process during the run (0..1). */
  elu: number;
  ingestLagP99Ms: number;
}

function watchFlushes(hub: HubHandle): { shape(): FlushShape } {
  const store = hub.store;
  const write = store.writeTelemetry.bind(store);
  const perCall: number[] = [];
  const perWrite: number[] = [];
  store.writeTelemetry = (batches: readonly TelemetryWrite[]) => {
    perCall.push(batches.length);
    for (const b of batches) if (perWrite.length < 200_000) perWrite.push(b.readings.length);
    return write(batches);
  };
  return {
    shape: () => ({ calls: perCall.length, medianWritesPerCall: median(perCall), medianReadingsPerWrite: median(perWrite), maxWritesPerCall: Math.max(0, ...perCall) }),
  };
}

/**
 * hub.close(), given up on after `ms`: in external-broker mode the hub's MQTT client waits at
 * close for PUBACKs of its own ack publishes, and after a 100-device run some never come (seen
 * with Mosquitto 2.0.11 after every full run), which would hang the benchmark.
 */
async function closeWithin(hub: HubHandle, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = await Promise.race([
    hub.close().then(() => false),
    new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(true), ms); }),
  ]);
  clearTimeout(timer);
  if (gaveUp) say(`    (hub.close() did not finish within ${ms / 1000} s; left behind)`);
}

/** The benchmark's agents, wherever they run. */
interface AgentSet {
  start(): Promise<void>;
  stats(): Promise<Pick<ChildStats, 'outboxRecords' | 'resends' | 'reconnects'> & { cpuS: number }>;
  stop(): Promise<void>;
}

function agentsHere(configs: readonly AgentConfig[]): AgentSet {
  const agents = makeAgents(configs);
  return {
    start: async () => { await Promise.all(agents.map((a) => a.start())); },
    stats: async () => {
      const s = agents.map((a) => a.stats());
      return { outboxRecords: outboxRecords(agents), resends: s.reduce((n, x) => n + x.resends, 0), reconnects: s.reduce((n, x) => n + x.reconnects, 0), cpuS: 0 };
    },
    stop: async () => { await Promise.allSettled(agents.map((a) => a.stop())); },
  };
}

const CHILD_SCRIPT = fileURLToPath(new URL('./agents-child.ts', import.meta.url));

async function agentsInChild(configs: readonly AgentConfig[]): Promise<AgentSet> {
  const child = forkChildRpc<ToChild, FromChild>(CHILD_SCRIPT, 'agents child process');
  await child.ask({ type: 'load', configs: [...configs] }, 'loaded');
  return {
    start: async () => { await child.ask({ type: 'go' }, 'started'); },
    stats: async () => {
      const s = await child.ask({ type: 'poll' }, 'stats');
      return { outboxRecords: s.outboxRecords, resends: s.resends, reconnects: s.reconnects, cpuS: (s.cpuUserUs + s.cpuSystemUs) / 1e6 };
    },
    stop: () => child.stop({ type: 'stop' }, 'stopped', 15_000),
  };
}

export async function runIngestOnce(o: IngestRunOptions): Promise<IngestRunResult> {
  const tmp = tempDir('eh-bench-ingest-');
  const fleet = `bench-${randomBytes(4).toString('hex')}`;
  const total = o.devices * o.readingsPerDevice;
  const agentsIn = o.agentsIn ?? 'child';
  const hub = await startBenchHub({ dataDir: join(tmp.dir, 'hub'), fleet, ...(o.externalUrl ? { externalUrl: o.externalUrl } : {}) });
  let agents: AgentSet | null = null;
  try {
    const configs = await provisionDevices(hub, join(tmp.dir, 'devices'), o.devices, o.templateDb);
    agents = agentsIn === 'child' ? await agentsInChild(configs) : agentsHere(configs);
    const set = agents;
    const flushes = watchFlushes(hub);
    const before = hub.metrics();
    const profiler = await startProfile(o.profileDir);
    const cpu0 = process.cpuUsage();
    const elu0 = performance.eventLoopUtilization();
    const t0 = performance.now();
    await set.start();
    let connectedAt = 0;
    const online = setInterval(() => {
      if (!connectedAt && hub.metrics().devicesOnline >= o.devices) connectedAt = performance.now();
    }, 50);
    const progress = setInterval(() => {
      void set.stats().then((s) => say(`    … ${((performance.now() - t0) / 1000).toFixed(0)} s: stored ${hub.metrics().readingsStored - before.readingsStored}/${total}, `
        + `online at the hub ${hub.metrics().devicesOnline}, outbox records ${s.outboxRecords}, resends ${s.resends}, reconnects ${s.reconnects}`), () => {});
    }, 10_000);
    const timeoutMs = Math.max(120_000, (total / 5_000) * 1000);
    await waitUntil(`${total} readings stored`, () => hub.metrics().readingsStored - before.readingsStored >= total, timeoutMs, 10);
    await waitUntil('every outbox to empty', async () => (await set.stats()).outboxRecords === 0, 60_000, 5);
    const t1 = performance.now();
    clearInterval(progress);
    clearInterval(online);
    const cpu = process.cpuUsage(cpu0);
    const elu = performance.eventLoopUtilization(elu0);
    const last = await set.stats();
    if (profiler) say(`    profile: ${await profiler.stop(o.profileName ?? 'ingest')}`);
    const stored = await hub.store.countReadings();
    if (stored !== total) throw new Error(`the store holds ${stored} readings, expected ${total}`);
    const m = hub.metrics();
    const seconds = (t1 - t0) / 1000;
    return {
      readings: total, seconds, readingsPerS: total / seconds,
      connectSeconds: connectedAt ? (connectedAt - t0) / 1000 : NaN,
      duplicates: m.duplicates - before.duplicates, rejects: m.rejects,
      resends: last.resends,
      flushes: flushes.shape(),
      cpuPerWallS: (cpu.user + cpu.system) / 1e6 / seconds,
      agentsCpuPerWallS: last.cpuS / seconds,
      agentsIn,
      elu: elu.utilization,
      ingestLagP99Ms: m.ingestLagMs.p99,
    };
  } finally {
    await agents?.stop();
    await closeWithin(hub, 15_000);
    if (o.externalUrl) {
      const topics = topicsFor(fleet);
      await clearRetained(o.externalUrl, Array.from({ length: o.devices }, (_, i) => topics.device(deviceId(i), 'status'))).catch(() => {});
    }
    tmp.remove();
  }
}
