/**
 * Group commit for telemetry. Checked batches wait here up to `flushIntervalMs` (or until
 * `maxBatchMessages` or `maxBatchReadings` are waiting); one store.writeTelemetry call writes them
 * in one transaction, and the event loop gets a turn between transactions, so a flood of large
 * batches cannot hold the loop (and with it acks, connects and the API) for seconds;
 * only then does each batch get its Ack, duplicates included, so the agent may delete it. A
 * failed write acks nothing: the agents resend after their ack timeout.
 */
import { performance } from 'node:perf_hooks';
import type { Logger } from '../../shared/log/logger.ts';
import type { HubMetrics } from '../metrics/hub-metrics.ts';
import type { Store, TelemetryWrite } from '../store/types.ts';
import type { SeqTracker } from './seq-tracker.ts';

/** About 10–40 ms of SQLite work at the measured ceiling: long enough to amortise the commit. */
export const DEFAULT_MAX_BATCH_READINGS = 20_000;

export interface PendingBatch {
  write: TelemetryWrite;
  seqKey: string;
  /** performance.now() when the message arrived, for the lag metric. */
  arrived: number;
}

export interface BatcherOptions {
  maxBatchMessages: number;
  /** Readings one transaction writes at most (a single larger message is written alone). */
  maxBatchReadings?: number;
  flushIntervalMs: number;
  /** Readings waiting or being written past which new messages are held back. */
  maxPendingReadings: number;
}

export interface BatcherDeps {
  store: Store;
  seqs: SeqTracker;
  metrics: HubMetrics;
  logger: Logger;
  /** Publishes the Ack for a committed batch. */
  ack(device: string, stream: string, seqFrom: number, seqTo: number): void;
}

export class TelemetryBatcher {
  #pending: PendingBatch[] = [];
  /** Readings accepted and not yet committed (waiting or in the running write). */
  #readings = 0;
  #timer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> | null = null;
  #waiters: Array<() => void> = [];
  #closed = false;

  constructor(private readonly opts: BatcherOptions, private readonly deps: BatcherDeps) {}

  /** Queues a checked batch. Returns a promise when the caller should pause taking input. */
  add(p: PendingBatch): Promise<void> | null {
    this.#pending.push(p);
    this.#readings += p.write.readings.length;
    if (this.#pending.length >= this.opts.maxBatchMessages || this.#readings >= this.#maxReadings) this.#kick();
    else if (!this.#timer && !this.#flushing) this.#timer = setTimeout(() => this.#kick(), this.opts.flushIntervalMs);
    if (this.#readings <= this.opts.maxPendingReadings) return null;
    return new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  get #maxReadings(): number {
    return this.opts.maxBatchReadings ?? DEFAULT_MAX_BATCH_READINGS;
  }

  /** The next transaction's batches: at most maxBatchMessages and maxBatchReadings (but at least one). */
  #takeNext(): PendingBatch[] {
    let n = 0;
    let readings = 0;
    while (n < this.#pending.length && n < this.opts.maxBatchMessages) {
      const r = (this.#pending[n] as PendingBatch).write.readings.length;
      if (n > 0 && readings + r > this.#maxReadings) break;
      readings += r;
      n++;
    }
    const take = n === this.#pending.length ? this.#pending : this.#pending.slice(0, n);
    this.#pending = take === this.#pending ? [] : this.#pending.slice(n);
    return take;
  }

  get pendingReadings(): number {
    return this.#readings;
  }

  #kick(): void {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    if (!this.#flushing && this.#pending.length > 0) {
      this.#flushing = this.#drain().finally(() => {
        this.#flushing = null;
        if (this.#pending.length > 0) this.#kick(); // arrived while the last write settled
      });
    }
  }

  /** Writes until nothing waits; what arrives during a write goes into the next one. */
  async #drain(): Promise<void> {
    while (this.#pending.length > 0) {
      await this.#write(this.#takeNext());
      this.#release();
      // Let acks go out and the transports deliver what arrived before the next write starts.
      if (this.#pending.length > 0 && !this.#closed) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  async #write(batch: PendingBatch[]): Promise<void> {
    let n = 0;
    for (const p of batch) n += p.write.readings.length;
    try {
      await this.#commit(batch);
    } catch (e) {
      if (batch.length > 1) {
        // One bad batch must not keep every other device's data out: write them one by one.
        this.deps.logger.warn({ err: e, batches: batch.length }, 'telemetry flush failed; retrying its batches one by one');
        for (const p of batch) await this.#write([p]);
        return;
      }
      this.deps.metrics.storeFailures++;
      this.deps.logger.error({ err: e, device: batch[0]!.write.device, stream: batch[0]!.write.stream, readings: n }, 'telemetry write failed; not acked, the agent will resend');
    }
    this.#readings -= n;
  }

  /** One transaction for the whole flush; acks only after it commits. */
  async #commit(batch: PendingBatch[]): Promise<void> {
    const { store, seqs, metrics } = this.deps;
    const results = await store.writeTelemetry(batch.map((p) => p.write));
    const now = performance.now();
    for (let i = 0; i < batch.length; i++) {
      const p = batch[i]!;
      const r = results[i]!;
      const w = p.write;
      const lastSeq = w.firstSeq + w.readings.length - 1;
      seqs.committed(p.seqKey, lastSeq);
      metrics.readingsStored += r.inserted;
      metrics.duplicates += r.duplicates;
      metrics.lag.record(now - p.arrived);
      metrics.deviceDropped(w.device, w.stream, w.droppedTotal);
      this.deps.ack(w.device, w.stream, w.firstSeq, lastSeq); // after commit, never before
    }
  }

  #release(): void {
    if (this.#readings > this.opts.maxPendingReadings || this.#waiters.length === 0) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  /** Writes what is waiting, then stops. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#kick();
    while (this.#flushing) await this.#flushing;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}
