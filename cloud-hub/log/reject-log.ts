/**
 * Logs rejected input without letting a misbehaving device flood the log: per reason, the first
 * few lines in each window are written; the rest are counted and summarised in the next line.
 * Every reject is also counted in the metrics, whatever the log shows.
 */
import type { Logger } from '../../shared/log/logger.ts';
import type { Clock } from '../../shared/time/clock.ts';
import type { HubMetrics } from '../metrics/hub-metrics.ts';

interface Window { startMs: number; written: number; suppressed: number }

export class RejectLog {
  readonly #windows = new Map<string, Window>();

  constructor(
    private readonly logger: Logger,
    private readonly metrics: HubMetrics,
    private readonly clock: Clock,
    private readonly perWindow = 5,
    private readonly windowMs = 10_000,
  ) {}

  /** Counts the reject under `reason` and logs it when the reason's budget allows. */
  reject(reason: string, fields: Record<string, unknown>, message: string): void {
    this.metrics.reject(reason);
    const now = this.clock.now();
    let w = this.#windows.get(reason);
    if (!w || now - w.startMs >= this.windowMs) {
      const suppressed = w?.suppressed ?? 0;
      w = { startMs: now, written: 0, suppressed: 0 };
      this.#windows.set(reason, w);
      if (suppressed > 0) fields = { ...fields, suppressedSinceLastLine: suppressed };
    }
    if (w.written < this.perWindow) {
      w.written++;
      this.logger.warn({ reason, ...fields }, message);
    } else {
      w.suppressed++;
    }
  }
}
