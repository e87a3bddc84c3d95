/**
 * The `sim` sensor kind: a virtual sensor on the fleet clock. Reading i has
 * tsMs = originMs + i * periodMs and values from a pure sensor model, so any process (a restarted
 * agent, a test) regenerates reading i exactly. Fleet time comes from a ScaledClock built from the
 * config, so an agent in another process agrees with the simulator on what is due.
 *
 * A wall timer every TICK_MS emits every due index in one batch (never a timer per reading).
 * On start it resumes after max(index due now, index of resume.lastTsMs + 1): an index is never
 * emitted twice across restarts. It stops before untilMs (exclusive).
 */
import type { SimSensorConfig, SensorConfig } from '../../shared/config/agent-config.ts';
import { EdgehiveError } from '../../shared/errors/index.ts';
import { ScaledClock, systemClock, type Clock } from '../../shared/time/clock.ts';
import type { SensorAdapter, SensorFactory, SensorReading, SensorSink } from '../../edge-agent/sensors/types.ts';
import { parseSensorFaults, type SensorFault } from './faults.ts';
import { MODELS } from './models.ts';

export const SIM_SENSOR_KIND = 'sim';
export const TICK_MS = 75;
/** Most readings handed to the sink in one push; a long stall catches up in several. */
export const MAX_PUSH = 1000;

export function fleetClockOf(config: SimSensorConfig, wall: Clock = systemClock): ScaledClock {
  return new ScaledClock(config.clock.fleetEpochMs, config.clock.wallEpochMs, config.clock.speed, wall);
}

export function simFeatures(config: Pick<SimSensorConfig, 'model'>): readonly string[] {
  return MODELS[config.model].features;
}

/** Index of the newest reading due at fleet time `tsMs` (may be negative before originMs). */
export function indexDueAt(config: SimSensorConfig, tsMs: number): number {
  return Math.floor((tsMs - config.originMs) / config.periodMs);
}

/** One past the last index produced (Infinity when the config has no untilMs). */
export function endIndex(config: SimSensorConfig): number {
  return config.untilMs === undefined ? Infinity : Math.max(0, Math.ceil((config.untilMs - config.originMs) / config.periodMs));
}

export function readingAt(config: SimSensorConfig, deviceId: string, index: number, faults: readonly SensorFault[] = parseSensorFaults(config.faults)): SensorReading {
  const tsMs = config.originMs + index * config.periodMs;
  return { tsMs, values: MODELS[config.model].sample(config.seed, deviceId, index, tsMs, faults, config.originMs) };
}

/**
 * The reading a `sim` sensor with `config` on `deviceId` produces at `tsMs`: what a test compares
 * the hub's store against. Throws when `tsMs` is not on the config's grid.
 */
export function expectedReading(config: SimSensorConfig, deviceId: string, tsMs: number): SensorReading {
  const index = Math.round((tsMs - config.originMs) / config.periodMs);
  if (index < 0 || config.originMs + index * config.periodMs !== tsMs) {
    throw new EdgehiveError('EH_BAD_REQUEST', `${tsMs} is not a reading time of stream ${config.stream} (origin ${config.originMs}, period ${config.periodMs} ms)`);
  }
  return readingAt(config, deviceId, index);
}

export interface SimSensorOptions {
  /** Wall clock under the fleet clock; tests pass a ManualClock and call tick(). */
  wall?: Clock;
  /** Set false to drive the sensor by tick() alone. */
  timer?: boolean;
  tickMs?: number;
  /**
   * Emit each reading this many fleet ms after it is due (its timestamp does not change). A fleet
   * gives its devices different lags so a thousand of them do not all write and send in the same
   * instant of every period (simulators/fleet/fleet.ts).
   */
  lagMs?: number;
}

export class SimSensor implements SensorAdapter {
  readonly stream: string;
  readonly features: readonly string[];
  readonly #fleet: ScaledClock;
  readonly #faults: SensorFault[];
  readonly #end: number;
  readonly #lagMs: number;
  #next = 0;
  #sink: SensorSink | null = null;
  #timer: NodeJS.Timeout | null = null;

  constructor(readonly config: SimSensorConfig, readonly deviceId: string, private readonly opts: SimSensorOptions = {}) {
    this.stream = config.stream;
    this.features = simFeatures(config);
    this.#fleet = fleetClockOf(config, opts.wall);
    this.#faults = parseSensorFaults(config.faults, `sim sensor ${config.stream} faults`);
    this.#end = endIndex(config);
    this.#lagMs = Math.max(0, opts.lagMs ?? 0);
  }

  /** The next index this sensor will emit. */
  get nextIndex(): number { return this.#next; }

  start(sink: SensorSink, resume: { lastTsMs: number | null }): void {
    const dueNow = Math.max(0, indexDueAt(this.config, this.#fleet.now() - this.#lagMs));
    const afterResume = resume.lastTsMs === null ? 0 : Math.round((resume.lastTsMs - this.config.originMs) / this.config.periodMs) + 1;
    this.#next = Math.max(dueNow, afterResume);
    this.#sink = sink;
    if (this.opts.timer !== false) this.#timer = setInterval(() => this.tick(), this.opts.tickMs ?? TICK_MS);
  }

  /** Emits every reading due now that has not been emitted. Returns how many. */
  tick(): number {
    const sink = this.#sink;
    if (!sink) return 0;
    const last = Math.min(indexDueAt(this.config, this.#fleet.now() - this.#lagMs), this.#end - 1);
    let n = 0;
    try {
      while (this.#next <= last) {
        const upto = Math.min(last, this.#next + MAX_PUSH - 1);
        const batch: SensorReading[] = [];
        for (let i = this.#next; i <= upto; i++) batch.push(readingAt(this.config, this.deviceId, i, this.#faults));
        sink.push(batch);
        n += batch.length;
        this.#next = upto + 1;
      }
    } catch (e) {
      this.#halt();
      sink.error(e instanceof Error ? e : new Error(String(e)));
      return n;
    }
    if (this.#next >= this.#end) this.#halt();
    return n;
  }

  async stop(): Promise<void> {
    this.#halt();
  }

  #halt(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#sink = null;
  }
}

export function createSimSensor(config: SensorConfig, deviceId: string, opts?: SimSensorOptions): SimSensor {
  if (config.kind !== SIM_SENSOR_KIND) throw new EdgehiveError('EH_CONFIG_INVALID', `the sim sensor factory got a sensor of kind ${config.kind}`);
  return new SimSensor(config, deviceId, opts);
}

/** Register as `sensorFactories: { sim: simSensorFactory }` in AgentDeps. */
export const simSensorFactory: SensorFactory = (config, ctx) => createSimSensor(config, ctx.deviceId);

export const SIM_SENSOR_FACTORIES: Record<string, SensorFactory> = { [SIM_SENSOR_KIND]: simSensorFactory };
