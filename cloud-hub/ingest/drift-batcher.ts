/**
 * Group commit for drift reports, in the telemetry batcher's rhythm: reports wait up to
 * `flushIntervalMs` (or until `maxBatchMessages` wait), one store.drift.putDriftReports call
 * stores them in one transaction, and only then does each report get its Ack (stream `drift`,
 * its seq), a resent one included, because the agent deletes a report from its outbox on the
 * ack. A failed write acks nothing: the agents resend.
 */
import type { Logger } from '../../shared/log/logger.ts';
import type { HubMetrics } from '../metrics/hub-metrics.ts';
import type { DriftRow } from '../store/drift-store.ts';
import type { Store } from '../store/types.ts';

export interface PendingDrift {
  device: string;
  seq: number;
  rows: DriftRow[];
}

export interface DriftBatcherOptions {
  maxBatchMessages: number;
  flushIntervalMs: number;
  /**
   * Reports waiting past which new ones are dropped unacked (the agent resends them): a stalled
   * store must not grow the hub's memory without bound. Default 10,000.
   */
  maxPendingReports?: number;
}

export interface DriftBatcherDeps {
  store: Store;
  metrics: HubMetrics;
  logger: Logger;
  ack(device: string, stream: string, seqFrom: number, seqTo: number): void;
  /**
   * Told of each committed batch's rows (resends included), after the commit: the drift policy
   * manager evaluates what is stored, never what may still fail to be.
   */
  onCommitted?(rows: readonly DriftRow[]): void;
}

export class DriftBatcher {
  #pending: PendingDrift[] = [];
  #timer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> | null = null;
  #closed = false;
  /** Reports dropped because too many waited. */
  dropped = 0;
  /** Rows already stored by an earlier copy of their report (resends), acked again. */
  duplicateRows = 0;

  constructor(private readonly opts: DriftBatcherOptions, private readonly deps: DriftBatcherDeps) {}

  add(p: PendingDrift): void {
    if (this.#pending.length >= (this.opts.maxPendingReports ?? 10_000)) {
      this.dropped++;
      if (this.dropped === 1 || this.dropped % 1000 === 0) this.deps.logger.warn({ dropped: this.dropped }, 'drift reports waiting for the store are at the limit; new ones are dropped unacked and agents resend');
      return;
    }
    this.#pending.push(p);
    if (this.#pending.length >= this.opts.maxBatchMessages) this.#kick();
    else if (!this.#timer && !this.#flushing) this.#timer = setTimeout(() => this.#kick(), this.opts.flushIntervalMs);
  }

  get pending(): number {
    return this.#pending.length;
  }

  #kick(): void {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    if (!this.#flushing && this.#pending.length > 0) {
      this.#flushing = this.#drain().finally(() => {
        this.#flushing = null;
        if (this.#pending.length > 0) this.#kick();
      });
    }
  }

  async #drain(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#pending.slice(0, this.opts.maxBatchMessages);
      this.#pending = this.#pending.slice(batch.length);
      await this.#write(batch);
      // Acks, connects and the API get a turn between transactions.
      if (this.#pending.length > 0 && !this.#closed) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  async #write(batch: PendingDrift[]): Promise<void> {
    try {
      const r = await this.deps.store.drift.putDriftReports(batch.flatMap((p) => p.rows));
      this.duplicateRows += r.duplicates;
    } catch (e) {
      if (batch.length > 1) {
        // One bad report must not keep every other device's out: write them one by one.
        this.deps.logger.warn({ err: e, reports: batch.length }, 'drift flush failed; retrying its reports one by one');
        for (const p of batch) await this.#write([p]);
        return;
      }
      this.deps.metrics.storeFailures++;
      this.deps.logger.error({ err: e, device: batch[0]!.device, seq: batch[0]!.seq }, 'drift report write failed; not acked, the agent will resend');
      return;
    }
    for (const p of batch) {
      this.deps.metrics.recordAcked('drift');
      this.deps.ack(p.device, 'drift', p.seq, p.seq); // after commit, never before
    }
    if (this.deps.onCommitted) {
      try {
        this.deps.onCommitted(batch.flatMap((p) => p.rows));
      } catch (e) {
        this.deps.logger.warn({ err: e }, 'a drift commit listener failed; the reports are stored and acked');
      }
    }
  }

  /** Writes what is waiting, then stops. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#kick();
    while (this.#flushing) await this.#flushing;
  }
}
