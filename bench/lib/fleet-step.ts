/**
 * One step of the fleet benchmark: N virtual devices of the simulator's in-process fleet (real
 * agents, `sim` sensors at speed 1, one reading per device per second) against a fresh hub, in
 * this process or in a child process. After a warm-up the step watches a window: readings the
 * hub stored per second, the fleet's outbox backlog, this process's event-loop delay and RSS.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { HubHandle } from '../../cloud-hub/hub-api.ts';
import type { AgentConfig } from '../../shared/config/agent-config.ts';
import type { Logger } from '../../shared/log/logger.ts';
import { loadAgentFactory } from '../../simulators/fleet/agent-factory.ts';
import { Fleet } from '../../simulators/fleet/fleet.ts';
import { layoutFleet } from '../../simulators/fleet/layout.ts';
import { httpProvisioner, inProcessProvisioner, type Provisioner } from '../../simulators/fleet/provision.ts';
import { ADMIN_TOKEN, startBenchHub, startChildHub, type ChildHub } from './hubs.ts';
import { LoopLag, rssMb } from './proc.ts';
import { startProfile } from './profile.ts';
import { median } from './report.ts';
import { say, silentLogger, sleep, tempDir, waitUntil } from './util.ts';

export type HubMode = 'child' | 'inprocess';

export interface StepOptions {
  devices: number;
  windowS: number;
  hub: HubMode;
  /** The virtual agents' buffer.synchronous; the simulator's default for in-process devices ('normal') when absent. */
  synchronous?: 'full' | 'normal';
  logger?: Logger;
  profileDir?: string;
}

export interface StepResult {
  devices: number;
  hub: HubMode;
  /** Readings the hub stored per second over the window, and as a share of the devices' rate. */
  storedPerS: number;
  share: number;
  /** Fleet outbox backlog (readings) at the window's start and end (means of its first and last thirds). */
  backlogStart: number;
  backlogEnd: number;
  /** Backlog growth over the window, readings per second. */
  backlogGrowthPerS: number;
  loopLagP99Ms: number;
  loopLagMaxMs: number;
  rssMaxMb: number;
  /** CPU seconds of this (the simulator's) process per wall second over the window. */
  cpuCores: number;
  /** Longest fleet.totals() call (the backlog sample, as the simulator's progress line takes it every 2 s). */
  sampleMaxMs: number;
  /** Seconds from fleet start until the hub counted every device online. */
  onlineS: number;
  provisionS: number;
  /** Stored >= 95 % and backlog not growing, whatever the loop delay. */
  keepsUp: boolean;
  sustained: boolean;
  why: string;
}

interface HubSide { provisioner: Provisioner; figures(): Promise<{ readingsStored: number; devicesOnline: number } | null>; close(): Promise<void> }

async function openHub(mode: HubMode, dir: string): Promise<HubSide> {
  if (mode === 'child') {
    const h: ChildHub = await startChildHub(dir, 'bench');
    return { provisioner: httpProvisioner(h.httpUrl, ADMIN_TOKEN), figures: () => h.figures(), close: () => h.close() };
  }
  const hub: HubHandle = await startBenchHub({ dataDir: dir, fleet: 'bench' });
  return {
    provisioner: inProcessProvisioner(hub),
    figures: async () => { const m = hub.metrics(); return { readingsStored: m.readingsStored, devicesOnline: m.devicesOnline }; },
    close: () => hub.close(),
  };
}

const thirdsMean = (xs: number[], which: 'first' | 'last') => {
  const k = Math.max(1, Math.floor(xs.length / 3));
  return median(which === 'first' ? xs.slice(0, k) : xs.slice(-k));
};

export async function runFleetStep(o: StepOptions): Promise<StepResult> {
  const tmp = tempDir(`eh-bench-fleet-${o.devices}-`);
  const hub = await openHub(o.hub, join(tmp.dir, 'hub'));
  let fleet: Fleet | null = null;
  try {
    const startMs = Math.ceil(Date.now() / 1000) * 1000;
    const t0 = performance.now();
    fleet = await Fleet.create({
      dataDir: join(tmp.dir, 'sim'), devices: layoutFleet(o.devices), provisioner: hub.provisioner, mode: 'in-process',
      createAgent: await loadAgentFactory(), logger: o.logger ?? silentLogger(),
      sim: { seed: 1, periodMs: 1000, originMs: startMs, clock: { fleetEpochMs: startMs, wallEpochMs: startMs, speed: 1 } },
      ...(o.synchronous ? { agent: { buffer: { synchronous: o.synchronous } as AgentConfig['buffer'] } } : {}),
    });
    const provisionS = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    await fleet.start();
    let onlineS = NaN;
    await waitUntil(`${o.devices} devices online`, async () => ((await hub.figures())?.devicesOnline ?? 0) >= o.devices, 120_000, 250)
      .then(() => { onlineS = (performance.now() - t1) / 1000; })
      .catch((e: unknown) => say(`    ${(e as Error).message}; measuring anyway`));
    await sleep(Math.min(10_000, Math.max(3000, o.windowS * 200))); // settle: chunker, first batches, acks

    const f = fleet;
    const lag = new LoopLag();
    const backlog: number[] = [];
    let rssMax = 0;
    let sampleMaxMs = 0;
    const sample = () => {
      const a = performance.now();
      backlog.push(f.totals().outboxReadings);
      sampleMaxMs = Math.max(sampleMaxMs, performance.now() - a);
      rssMax = Math.max(rssMax, rssMb(process.pid));
    };
    const profiler = await startProfile(o.profileDir);
    const s0 = (await hub.figures())?.readingsStored ?? NaN;
    const w0 = performance.now();
    const cpu0 = process.cpuUsage();
    lag.start();
    sample();
    const timer = setInterval(sample, 2000);
    await sleep(o.windowS * 1000);
    clearInterval(timer);
    sample();
    const l = lag.stop();
    const cpu = process.cpuUsage(cpu0);
    const s1 = (await hub.figures())?.readingsStored ?? NaN;
    const seconds = (performance.now() - w0) / 1000;
    if (profiler) say(`    profile: ${await profiler.stop(`fleet-${o.hub}-${o.devices}`)}`);

    const storedPerS = (s1 - s0) / seconds;
    const backlogStart = thirdsMean(backlog, 'first');
    const backlogEnd = thirdsMean(backlog, 'last');
    const growth = (backlogEnd - backlogStart) / (seconds * 2 / 3);
    const share = storedPerS / o.devices;
    const fails: string[] = [];
    if (!(share >= 0.95)) fails.push(`stored ${(share * 100).toFixed(1)} % of the readings made`);
    if (!(growth <= 0.05 * o.devices)) fails.push(`backlog growing by ${Math.round(growth)} readings/s`);
    const keepsUp = fails.length === 0;
    if (!(l.p99 < 200)) fails.push(`loop lag p99 ${Math.round(l.p99)} ms`);
    return {
      devices: o.devices, hub: o.hub, storedPerS, share, backlogStart, backlogEnd, backlogGrowthPerS: growth,
      loopLagP99Ms: l.p99, loopLagMaxMs: l.max, rssMaxMb: rssMax, cpuCores: (cpu.user + cpu.system) / 1e6 / seconds, sampleMaxMs,
      onlineS, provisionS, keepsUp, sustained: fails.length === 0, why: fails.join('; ') || 'sustained',
    };
  } finally {
    await fleet?.stop();
    await hub.close();
    tmp.remove();
  }
}
