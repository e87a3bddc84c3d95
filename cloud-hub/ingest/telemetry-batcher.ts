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
import { GroupCommit } from './group-commit.ts';
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
  /** Readings accepted and not yet committed (waiting or in the running write). */
  #readings = 0;
  #waiters: Array<() => void> = [];
  readonly #queue: GroupCommit<PendingBatch>;

  constructor(private readonly opts: BatcherOptions, private readonly deps: BatcherDeps) {
    this.#queue = new GroupCommit<PendingBatch>({
      flushIntervalMs: opts.flushIntervalMs,
      take: (pending) => this.#takeCount(pending),
      commit: (batch) => this.#commit(batch),
      onSplit: (err, count) => deps.logger.warn({ err, batches: count }, 'telemetry flush failed; retrying its batches one by one'),
      onFailed: (err, p) => {
        deps.metrics.storeFailures++;
        deps.logger.error({ err, device: p.write.device, stream: p.write.stream, readings: p.write.readings.length }, 'telemetry write failed; not acked, the agent will resend');
      },
      afterBatch: (batch) => {
        for (const p of batch) this.#readings -= p.write.readings.length;
        this.#release();
      },
    });
  }

  /** Queues a checked batch. Returns a promise when the caller should pause taking input. */
  add(p: PendingBatch): Promise<void> | null {
    this.#readings += p.write.readings.length;
    this.#queue.add(p, this.#queue.pending + 1 >= this.opts.maxBatchMessages || this.#readings >= this.#maxReadings);
    if (this.#readings <= this.opts.maxPendingReadings) return null;
    return new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  get #maxReadings(): number {
    return this.opts.maxBatchReadings ?? DEFAULT_MAX_BATCH_READINGS;
  }

  /** The next transaction's size: at most maxBatchMessages and maxBatchReadings (but at least one). */
  #takeCount(pending: readonly PendingBatch[]): number {
    let n = 0;
    let readings = 0;
    while (n < pending.length && n < this.opts.maxBatchMessages) {
      const r = pending[n]!.write.readings.length;
      if (n > 0 && readings + r > this.#maxReadings) break;
      readings += r;
      n++;
    }
    return n;
  }

  get pendingReadings(): number {
    return this.#readings;
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
    await this.#queue.close();
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}
