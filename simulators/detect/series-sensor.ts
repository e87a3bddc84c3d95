/**
 * A sensor the caller feeds: the rows of a recorded series, pushed into the agent exactly as a
 * device's sensor would push live readings. Used by `edgehive detect`.
 */
import type { SensorAdapter, SensorReading, SensorSink } from '../../edge-agent/sensors/types.ts';

export class SeriesSensor implements SensorAdapter {
  #sink: SensorSink | null = null;

  constructor(readonly stream: string, readonly features: readonly string[]) {}

  start(sink: SensorSink): void {
    this.#sink = sink;
  }

  async stop(): Promise<void> {
    this.#sink = null;
  }

  /** Pushes readings in time order; false when the agent is not running. */
  emit(readings: SensorReading[]): boolean {
    if (this.#sink === null) return false;
    this.#sink.push(readings);
    return true;
  }
}
