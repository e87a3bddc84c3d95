/**
 * A sensor adapter turns some source of measurements into readings of one stream. Adapters are
 * plugged in by kind at start-up (see registry.ts); the simulator registers its own.
 */
import type { Clock } from '../../shared/time/clock.ts';
import type { SensorConfig } from '../../shared/config/agent-config.ts';
import type { Logger } from '../../shared/log/logger.ts';

/** One sample. NaN marks a missing value; the uplink turns it into the wire's missing list. */
export interface SensorReading { tsMs: number; values: number[] }

export interface SensorSink {
  /** Called with readings in time order. Returns once they are accepted into the buffer. */
  push(readings: SensorReading[]): void;
  /** The adapter failed and stopped; the agent logs it, counts it, and may restart it. */
  error(err: Error): void;
}

export interface SensorAdapter {
  readonly stream: string;
  readonly features: readonly string[];
  /**
   * `resume.lastTsMs` is the timestamp of the newest reading of this stream already in the
   * buffer (from before a restart), so a deterministic source never emits the same sample twice.
   */
  start(sink: SensorSink, resume: { lastTsMs: number | null }): void | Promise<void>;
  stop(): Promise<void>;
}

export interface SensorContext { clock: Clock; logger: Logger; deviceId: string }

export type SensorFactory = (config: SensorConfig, ctx: SensorContext) => SensorAdapter;
