/**
 * A fleet of virtual devices on the real agent code: each device has its own identity, SQLite
 * buffer and MQTT connection, and a `sim` sensor on the shared fleet clock. The fleet provisions
 * the devices through the hub, runs them (in this process or one child process each), and is
 * the FleetControl a scenario's executor drives (links, crashes, restarts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAgentConfig, type AgentConfig, type SimSensorConfig } from '../../shared/config/agent-config.ts';
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { Logger } from '../../shared/log/logger.ts';
import { ScaledClock, systemClock } from '../../shared/time/clock.ts';
import type { FleetControl } from '../scenario/execute.ts';
import { LinkProxy } from '../network/link-proxy.ts';
import type { SensorFault } from '../sensors/faults.ts';
import { SIM_SENSOR_FACTORIES } from '../sensors/sim-adapter.ts';
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
  /** Agent config sections merged over the defaults (e.g. shorter ack timeouts for tests). */
  agent?: Partial<Pick<AgentConfig, 'buffer' | 'uplink' | 'log'>>;
  logger: Logger;
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

export class Fleet implements FleetControl {
  readonly #members = new Map<string, Member>();

  private constructor(private readonly opts: FleetOptions) {}

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
    const config = parseAgentConfig({
      fleet: fromHub.fleet, deviceId: fromHub.deviceId, group: fromHub.group, profile: fromHub.profile, dataDir: dir, sensors: [sensor],
      hub: { ...fromHub.hub, mqttUrl: link ? link.url : brokerUrl },
      ...this.opts.agent,
    }, `agent config of ${spec.id}`);
    const configFile = join(dir, AGENT_CONFIG_FILE);
    writeFileSync(configFile, JSON.stringify(config, null, 2) + '\n');
    const runner: DeviceRunner = this.opts.mode === 'process'
      ? new ProcessRunner({ configFile, dataDir: dir, logger: this.opts.logger.child({ device: spec.id }) })
      : new InProcessRunner(config, {
        clock: new ScaledClock(sim.clock.fleetEpochMs, sim.clock.wallEpochMs, sim.clock.speed), wallClock: systemClock,
        logger: this.opts.logger, sensorFactories: SIM_SENSOR_FACTORIES, // the agent adds { device }
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
