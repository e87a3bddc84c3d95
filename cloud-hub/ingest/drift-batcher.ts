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
import { GroupCommit } from './group-commit.ts';

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
  /** Reports dropped because too many waited. */
  dropped = 0;
  /** Rows already stored by an earlier copy of their report (resends), acked again. */
  duplicateRows = 0;
  readonly #queue: GroupCommit<PendingDrift>;

  constructor(private readonly opts: DriftBatcherOptions, private readonly deps: DriftBatcherDeps) {
    this.#queue = new GroupCommit<PendingDrift>({
      flushIntervalMs: opts.flushIntervalMs,
      take: () => opts.maxBatchMessages,
      commit: (batch) => this.#commit(batch),
      onSplit: (err, count) => deps.logger.warn({ err, reports: count }, 'drift flush failed; retrying its reports one by one'),
      onFailed: (err, p) => {
        deps.metrics.storeFailures++;
        deps.logger.error({ err, device: p.device, seq: p.seq }, 'drift report write failed; not acked, the agent will resend');
      },
    });
  }

  add(p: PendingDrift): void {
    if (this.#queue.pending >= (this.opts.maxPendingReports ?? 10_000)) {
      this.dropped++;
      if (this.dropped === 1 || this.dropped % 1000 === 0) this.deps.logger.warn({ dropped: this.dropped }, 'drift reports waiting for the store are at the limit; new ones are dropped unacked and agents resend');
      return;
    }
    this.#queue.add(p, this.#queue.pending + 1 >= this.opts.maxBatchMessages);
  }

  get pending(): number {
    return this.#queue.pending;
  }

  async #commit(batch: PendingDrift[]): Promise<void> {
    const r = await this.deps.store.drift.putDriftReports(batch.flatMap((p) => p.rows));
    this.duplicateRows += r.duplicates;
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
  close(): Promise<void> {
    return this.#queue.close();
  }
}
