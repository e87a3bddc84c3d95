/**
 * A fleet of virtual devices on the real agent code: each device has its own identity, SQLite
 * buffer and MQTT connection, and a `sim` sensor on the shared fleet clock. The fleet provisions
 * the devices through the hub, runs them (in this process or one child process each), and is
 * the FleetControl a scenario's executor drives (links, crashes, restarts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadProfile } from '../../device-profiles/loader.ts';
import { parseAgentConfig, type AgentConfig, type SimSensorConfig } from '../../shared/config/agent-config.ts';
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { Logger } from '../../shared/log/logger.ts';
import { ScaledClock, systemClock } from '../../shared/time/clock.ts';
import type { FleetControl } from '../scenario/execute.ts';
import { LinkProxy } from '../network/link-proxy.ts';
import type { SensorFault } from '../sensors/faults.ts';
import { hashString } from '../random/hash-random.ts';
import { createSimSensor } from '../sensors/sim-adapter.ts';
import type { SensorFactory } from '../../edge-agent/sensors/types.ts';
import type { DeviceSpec } from './layout.ts';
import { provisionDevice, type Provisioner } from './provision.ts';
import { InProcessRunner, ProcessRunner, type AgentFactory, type DeviceRunner, type DeviceState } from './runners.ts';

export const SIM_STREAM = 'sensors';
export const AGENT_CONFIG_FILE = 'agent.json';

export interface FleetSimOptions {
  seed: number;
  /** Fleet ms between readings. */
  periodMs: number;
  /** Fleet time of reading 0 (also the fleet clock's epoch). */
  originMs: number;
  clock: SimSensorConfig['clock'];
  untilMs?: number;
  /** Sensor faults per device id (from the scenario planner). */
  faults?: Record<string, SensorFault[]>;
}

export interface FleetOptions {
  dataDir: string;
  devices: DeviceSpec[];
  provisioner: Provisioner;
  sim: FleetSimOptions;
  mode?: 'in-process' | 'process';
  /** Required in-process: builds an Agent (the composition root passes `new Agent(...)`). */
  createAgent?: AgentFactory;
  /** Broker URL for every agent instead of the one provisioning returns. */
  mqttUrl?: string;
  /** Devices whose broker connection goes through a cuttable LinkProxy. */
  linkDevices?: readonly string[];
  /**
   * Agent config sections merged over the defaults (e.g. shorter ack timeouts for tests). In
   * process mode `buffer.synchronous` defaults to 'normal' (see IN_PROCESS_SYNCHRONOUS).
   */
  agent?: Partial<Pick<AgentConfig, 'buffer' | 'uplink' | 'log'>> & { bundles?: Partial<Omit<AgentConfig['bundles'], 'root' | 'rootFile'>> };
  logger: Logger;
}

/**
 * buffer.synchronous of in-process virtual devices unless the caller sets it. They share one
 * process on one machine: what the simulator models is a crashed agent (an abrupt close, or
 * SIGKILL with --process), which a commit under synchronous=NORMAL survives in WAL mode; a
 * power cut would stop the whole fleet and the simulator with it. A synced commit per device and
 * second on the simulator's one thread is what kept it from 1,000 devices (docs/decisions/0005).
 * Devices in their own processes (--process) keep the agent default, as a real device would.
 */
export const IN_PROCESS_SYNCHRONOUS = 'normal' as const;

/**
 * Wall ms over which a fleet's devices spread the moment each reading is emitted: every device's
 * readings are due at the same instants (one fleet clock), and a thousand agents writing and
 * sending in the same few ms of each period stall the simulator's event loop.
 */
export const EMIT_SPREAD_WALL_MS = 1000;

/** The lag (fleet ms, under one period) after which `deviceId` emits each reading. */
export function emitLagMs(deviceId: string, periodMs: number, speed: number): number {
  const span = Math.min(periodMs, EMIT_SPREAD_WALL_MS * speed);
  return Math.floor((hashString(deviceId, 0x5eed) / 2 ** 32) * span);
}

interface Member { spec: DeviceSpec; config: AgentConfig; runner: DeviceRunner; link: LinkProxy | null }

export interface FleetTotals {
  devices: number;
  running: number;
  /** Agents reporting a live connection; null when the runners cannot tell (child processes). */
  connected: number | null;
  outboxRecords: number;
  outboxReadings: number;
}

const latencyScales = new Map<string, number>();

/**
 * Every virtual device runs on the simulator's CPU: its health check's latency is scaled by its
 * profile's compute factor, so a slow device class can fail a latency budget as the real one would.
 * A profile edgehive does not ship (a test's own) runs unscaled.
 */
export function simulatedLatencyScale(profile: string): number {
  let scale = latencyScales.get(profile);
  if (scale === undefined) {
    try {
      scale = loadProfile(profile).computeFactor;
    } catch {
      scale = 1;
    }
    latencyScales.set(profile, scale);
  }
  return scale;
}

export class Fleet implements FleetControl {
  readonly #members = new Map<string, Member>();

  private constructor(private readonly opts: FleetOptions) {}

  /** `sim` sensors of in-process devices, each emitting after its own lag (emitLagMs). */
  readonly #spreadSimFactories: Record<string, SensorFactory> = {
    sim: (config, ctx) => createSimSensor(config, ctx.deviceId, {
      lagMs: config.kind === 'sim' ? emitLagMs(ctx.deviceId, config.periodMs, config.clock.speed) : 0,
    }),
  };

  /** Provisions every device (identity first, then the hub) and writes its agent config. */
  static async create(opts: FleetOptions): Promise<Fleet> {
    if ((opts.mode ?? 'in-process') === 'in-process' && !opts.createAgent) throw new EdgehiveError('EH_STATE', 'an in-process fleet needs createAgent');
    const fleet = new Fleet(opts);
    const links = new Set(opts.linkDevices ?? []);
    const queue = [...opts.devices];
    const worker = async () => {
      for (let spec = queue.shift(); spec; spec = queue.shift()) await fleet.#add(spec, links.has(spec.id));
    };
    try {
      await Promise.all(Array.from({ length: Math.min(8, queue.length) }, worker));
    } catch (e) {
      await fleet.stop();
      throw e;
    }
    return fleet;
  }

  async #add(spec: DeviceSpec, withLink: boolean): Promise<void> {
    const dir = join(this.opts.dataDir, 'devices', spec.id);
    mkdirSync(dir, { recursive: true });
    const fromHub = await provisionDevice(this.opts.provisioner, spec, dir);
    const brokerUrl = this.opts.mqttUrl ?? fromHub.hub.mqttUrl;
    let link: LinkProxy | null = null;
    if (withLink) {
      link = new LinkProxy(brokerUrl);
      await link.listen();
    }
    const { sim } = this.opts;
    const sensor: SimSensorConfig = {
      kind: 'sim', stream: SIM_STREAM, model: spec.type, seed: sim.seed, periodMs: sim.periodMs, originMs: sim.originMs, clock: sim.clock,
      ...(sim.untilMs === undefined ? {} : { untilMs: sim.untilMs }),
      ...(sim.faults?.[spec.id]?.length ? { faults: sim.faults[spec.id] } : {}),
    };
    const inProcess = this.opts.mode !== 'process';
    const agent = this.opts.agent ?? {};
    const config = parseAgentConfig({
      fleet: fromHub.fleet, deviceId: fromHub.deviceId, group: fromHub.group, profile: fromHub.profile, dataDir: dir, sensors: [sensor],
      hub: { ...fromHub.hub, mqttUrl: link ? link.url : brokerUrl },
      ...agent,
      bundles: { ...fromHub.bundles, latencyScale: simulatedLatencyScale(fromHub.profile), ...agent.bundles },
      ...(inProcess && agent.buffer?.synchronous === undefined ? { buffer: { ...agent.buffer, synchronous: IN_PROCESS_SYNCHRONOUS } } : {}),
    }, `agent config of ${spec.id}`);
    const configFile = join(dir, AGENT_CONFIG_FILE);
    writeFileSync(configFile, JSON.stringify(config, null, 2) + '\n');
    const runner: DeviceRunner = this.opts.mode === 'process'
      ? new ProcessRunner({ configFile, dataDir: dir, logger: this.opts.logger.child({ device: spec.id }) })
      : new InProcessRunner(config, {
        clock: new ScaledClock(sim.clock.fleetEpochMs, sim.clock.wallEpochMs, sim.clock.speed), wallClock: systemClock,
        logger: this.opts.logger, sensorFactories: this.#spreadSimFactories, // the agent adds { device }
      }, this.opts.createAgent!);
    this.#members.set(spec.id, { spec, config, runner, link });
  }

  get devices(): DeviceSpec[] { return [...this.#members.values()].map((m) => m.spec); }

  configOf(id: string): AgentConfig { return this.#member(id).config; }

  runnerOf(id: string): DeviceRunner { return this.#member(id).runner; }

  #member(id: string): Member {
    const m = this.#members.get(id);
    if (!m) throw new EdgehiveError('EH_NOT_FOUND', `the fleet has no device ${id}`);
    return m;
  }

  /** Starts every agent; resolves when all have started (not necessarily connected). */
  async start(): Promise<void> {
    await Promise.all([...this.#members.values()].map((m) => m.runner.start()));
  }

  /** Stops every agent gracefully, then closes the links. */
  async stop(): Promise<void> {
    const members = [...this.#members.values()];
    const results = await Promise.allSettled(members.map((m) => m.runner.stop()));
    await Promise.all(members.map((m) => m.link?.close()));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    for (const f of failed) this.opts.logger.error({ err: f.reason }, 'an agent failed to stop cleanly');
  }

  linkDown(id: string): void {
    const m = this.#member(id);
    if (!m.link) throw new EdgehiveError('EH_STATE', `device ${id} has no cuttable link (it was not named by a network-loss fault)`);
    m.link.down();
  }

  linkUp(id: string): void {
    this.#member(id).link?.up();
  }

  async crashAgent(id: string): Promise<void> {
    await this.#member(id).runner.crash();
  }

  async restartAgent(id: string): Promise<void> {
    await this.#member(id).runner.start();
  }

  state(id: string): DeviceState { return this.#member(id).runner.state(); }

  totals(): FleetTotals {
    const t: FleetTotals = { devices: this.#members.size, running: 0, connected: 0, outboxRecords: 0, outboxReadings: 0 };
    for (const m of this.#members.values()) {
      const s = m.runner.state();
      if (m.runner.running) t.running++;
      if (s.connected === null) t.connected = null;
      else if (s.connected && t.connected !== null) t.connected++;
      t.outboxRecords += s.outboxRecords;
      t.outboxReadings += s.outboxReadings;
    }
    return t;
  }
}
