/**
 * Reported states on their way to the store and to whoever decides on them (the rollout
 * manager). A whole fleet downloading a bundle reports progress in bursts; each report only
 * supersedes the device's last one, so a device keeps at most one pending report (a newer one
 * replaces it in place, keeping the device's turn) and reports are written in batches with the
 * event loop free between them. Telemetry ingest never waits on this.
 */
import type { Logger } from '../../shared/log/logger.ts';
import type { ReportedFeed } from '../bundles/bundle-api.ts';
import type { HubMetrics } from '../metrics/hub-metrics.ts';
import type { ReportedRecord } from '../store/rollout-store.ts';

/** Where reports go: store.rollouts (or anything else keeping the latest report per device). */
export interface ReportedSink {
  putReported(r: ReportedRecord): Promise<void>;
}

export interface ReportedStatesOptions {
  /** How long the first pending report waits for company. */
  flushMs: number;
  /** Reports written per batch at most. */
  maxBatch: number;
  /** Wait before retrying after a failed write (default 1 s). */
  retryMs?: number;
}

export interface ReportedStatesDeps {
  sink: ReportedSink;
  metrics: HubMetrics;
  logger: Logger;
}

type Listener = (r: ReportedRecord) => void;

export class ReportedStates implements ReportedFeed {
  readonly #pending = new Map<string, ReportedRecord>();
  readonly #listeners = new Set<Listener>();
  #timer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> | null = null;
  #closed = false;
  /** Reports replaced by a newer one before they were written. */
  coalesced = 0;
  written = 0;

  constructor(private readonly opts: ReportedStatesOptions, private readonly deps: ReportedStatesDeps) {}

  onReported(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => { this.#listeners.delete(listener); };
  }

  /** Queues a report; an older one of the same device still waiting is dropped. */
  add(r: ReportedRecord): void {
    if (this.#closed) return;
    const before = this.#pending.get(r.device);
    if (before) {
      this.coalesced++;
      if (before.receivedMs > r.receivedMs) return;
    }
    // Map.set on an existing key keeps its place: a chatty device cannot push itself to the back.
    this.#pending.set(r.device, r);
    this.#schedule(this.opts.flushMs);
  }

  get pending(): number {
    return this.#pending.size;
  }

  #schedule(delayMs: number): void {
    if (this.#timer || this.#flushing) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      let ok = true;
      this.#flushing = this.#drain().then((wrote) => { ok = wrote; }).finally(() => {
        this.#flushing = null;
        if (this.#pending.size > 0 && !this.#closed) this.#schedule(ok ? this.opts.flushMs : (this.opts.retryMs ?? 1000));
      });
    }, delayMs);
  }

  /** Writes everything pending, batch by batch; false at the first failed batch (it is retried later). */
  async #drain(): Promise<boolean> {
    while (this.#pending.size > 0) {
      const batch: ReportedRecord[] = [];
      for (const r of this.#pending.values()) {
        batch.push(r);
        if (batch.length >= this.opts.maxBatch) break;
      }
      for (const r of batch) this.#pending.delete(r.device);
      if (!(await this.#write(batch))) return false;
      // Let sockets, acks and the API run between batches.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return true;
  }

  async #write(batch: readonly ReportedRecord[]): Promise<boolean> {
    let done = 0;
    try {
      for (const r of batch) {
        await this.deps.sink.putReported(r);
        done++;
      }
    } catch (e) {
      this.deps.metrics.storeFailures++;
      const unwritten = batch.slice(done);
      // Put them back unless the device has reported again since.
      for (const r of unwritten) if (!this.#pending.has(r.device)) this.#pending.set(r.device, r);
      this.deps.logger.error({ err: e, reports: unwritten.length }, 'storing reported device states failed; retrying');
      this.#emit(batch.slice(0, done));
      return false;
    }
    this.written += batch.length;
    this.#emit(batch);
    return true;
  }

  #emit(batch: readonly ReportedRecord[]): void {
    for (const r of batch) {
      for (const l of this.#listeners) {
        try {
          l(r);
        } catch (e) {
          this.deps.logger.error({ err: e, device: r.device }, 'a reported-state listener threw');
        }
      }
    }
  }

  /** Writes what is pending (one attempt) and stops taking reports. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#flushing;
    if (this.#pending.size > 0 && !(await this.#drain())) {
      this.deps.logger.warn({ reports: this.#pending.size }, 'reported states left unstored at shutdown; devices report again when they next change state');
    }
    this.#listeners.clear();
  }
}
