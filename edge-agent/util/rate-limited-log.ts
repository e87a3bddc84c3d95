/**
 * Logs a recurring problem once per interval per key, with how many times it happened since the
 * last line, so a sensor spewing bad lines cannot flood the log.
 */
import type { Logger } from '../../shared/log/logger.ts';

type Level = 'warn' | 'error' | 'info';

export class RateLimitedLog {
  readonly #last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  warn(key: string, obj: Record<string, unknown>, msg: string): void { this.#log('warn', key, obj, msg); }
  error(key: string, obj: Record<string, unknown>, msg: string): void { this.#log('error', key, obj, msg); }
  info(key: string, obj: Record<string, unknown>, msg: string): void { this.#log('info', key, obj, msg); }

  #log(level: Level, key: string, obj: Record<string, unknown>, msg: string): void {
    const t = this.now();
    const e = this.#last.get(key);
    if (e && t - e.at < this.intervalMs) {
      e.suppressed += 1;
      return;
    }
    const suppressed = e?.suppressed ?? 0;
    this.#last.set(key, { at: t, suppressed: 0 });
    this.logger[level](suppressed > 0 ? { ...obj, suppressed } : obj, msg);
  }
}
