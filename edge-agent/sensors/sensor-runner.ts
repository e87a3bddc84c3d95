/**
 * Runs the sensor adapters: registers each stream with the chunker, starts the adapter with its
 * resume point, and restarts an adapter that failed, after a growing delay (1 s up to 60 s).
 */
import type { SensorConfig } from '../../shared/config/agent-config.ts';
import type { Logger } from '../../shared/log/logger.ts';
import type { Chunker } from '../buffer/chunker.ts';
import type { Outbox } from '../buffer/outbox.ts';
import { checkStreams, SensorRegistry } from './registry.ts';
import type { SensorAdapter, SensorContext, SensorFactory, SensorReading, SensorSink } from './types.ts';

const RESTART_MIN_MS = 1000;
const RESTART_MAX_MS = 60_000;

interface Running { adapter: SensorAdapter; sink: SensorSink; failures: number; timer: NodeJS.Timeout | null }

export class SensorRunner {
  /** Adapter failures (errors reported or thrown by start). */
  errors = 0;
  readonly #running: Running[] = [];
  #stopped = false;

  /**
   * `tap` sees every reading once the chunker has it (the agent's model scores them); it
   * must not throw and must not block: the readings are already safe, scoring is best effort.
   */
  constructor(
    private readonly chunker: Chunker,
    private readonly outbox: Outbox,
    private readonly log: Logger,
    private readonly tap?: (stream: string, features: readonly string[], readings: SensorReading[]) => void,
  ) {}

  static build(configs: readonly SensorConfig[], extra: Record<string, SensorFactory> | undefined, ctx: SensorContext): SensorAdapter[] {
    return new SensorRegistry(extra).createAll(configs, ctx);
  }

  async start(adapters: SensorAdapter[]): Promise<void> {
    checkStreams(adapters);
    for (const adapter of adapters) {
      this.chunker.register(adapter.stream, adapter.features);
      const r: Running = { adapter, failures: 0, timer: null, sink: null as unknown as SensorSink };
      r.sink = {
        push: (readings) => {
          if (this.#stopped) return;
          this.chunker.push(adapter.stream, readings);
          this.tap?.(adapter.stream, adapter.features, readings);
        },
        error: (err) => this.#failed(r, err),
      };
      this.#running.push(r);
      await this.#start(r);
    }
  }

  async #start(r: Running): Promise<void> {
    if (this.#stopped) return;
    try {
      await r.adapter.start(r.sink, { lastTsMs: this.outbox.closed ? null : this.outbox.state(r.adapter.stream).last_ts });
    } catch (e) {
      this.#failed(r, e as Error);
    }
  }

  #failed(r: Running, err: Error): void {
    if (this.#stopped) return;
    this.errors += 1;
    r.failures += 1;
    const delay = Math.min(RESTART_MAX_MS, RESTART_MIN_MS * 2 ** Math.min(r.failures - 1, 10));
    this.log.error({ stream: r.adapter.stream, err: err.message, restartInMs: delay }, 'sensor failed');
    if (r.timer) return;
    r.timer = setTimeout(async () => {
      r.timer = null;
      await r.adapter.stop().catch(() => undefined);
      this.chunker.flush(); // so the resume point includes everything it sent
      await this.#start(r);
    }, delay);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#running.map(async (r) => {
      if (r.timer) clearTimeout(r.timer);
      try {
        await r.adapter.stop();
      } catch (e) {
        this.log.warn({ stream: r.adapter.stream, err: (e as Error).message }, 'sensor did not stop cleanly');
      }
    }));
  }
}
