/**
 * The size bound. PRAGMA max_page_count makes the main file physically unable to pass its share
 * of buffer.maxBytes; this class keeps appends below a high-water mark of it by dropping the
 * OLDEST telemetry chunks first (counted per stream), and never drops non-telemetry records.
 * Space in use is measured, not guessed: pages in the file minus pages on the free list.
 */
import type { SizePlan } from './schema.ts';
import type { RowMeta, Statements } from './statements.ts';

/** True for a range the uplink has in flight; the policy drops other chunks before those. */
export type Pinned = (stream: string, seqFrom: number, seqTo: number) => boolean;

export interface DropCounters {
  /** Readings dropped to stay inside the bound: oldest chunks plus new chunks refused. */
  droppedReadings: number;
  droppedChunks: number;
  /** Of droppedReadings, those refused on arrival because only records were left. */
  droppedNewReadings: number;
  /** Appends that hit SQLITE_FULL and were retried after freeing space. */
  fullRetries: number;
}

export class Space {
  pinned: Pinned = () => false;
  readonly counters: DropCounters = { droppedReadings: 0, droppedChunks: 0, droppedNewReadings: 0, fullRetries: 0 };

  constructor(
    private readonly st: Statements,
    private readonly plan: SizePlan,
    private readonly forget: (row: RowMeta) => void,
  ) {}

  usage(): { usedBytes: number; capacityBytes: number } {
    const used = (this.st.pageCount.get() as number) - (this.st.freePages.get() as number);
    return { usedBytes: used * this.plan.pageSize, capacityBytes: this.plan.maxPages * this.plan.pageSize };
  }

  /** Bytes a row of `payloadBytes` takes in pages, with room for the b-tree to grow. */
  footprint(payloadBytes: number): number {
    const ps = this.plan.pageSize;
    return (Math.ceil((payloadBytes + 96) / (ps - 4)) + 1) * ps;
  }

  /**
   * Drops the oldest telemetry until a row of `payloadBytes` fits under `fraction` of the
   * capacity. False when it still does not fit and no telemetry is left to drop.
   */
  ensureRoom(payloadBytes: number, fraction: number): boolean {
    const limit = fraction * this.plan.maxPages * this.plan.pageSize;
    const need = this.footprint(payloadBytes);
    let candidates: RowMeta[] = [];
    while (this.usage().usedBytes + need > limit) {
      if (candidates.length === 0) candidates = this.#candidates();
      const victim = candidates.shift();
      if (!victim) return false;
      this.#drop(victim);
    }
    return true;
  }

  /** Drops the oldest telemetry until about `bytes` are free (after SQLITE_FULL). */
  freeBytes(bytes: number): void {
    let freed = 0;
    let candidates: RowMeta[] = [];
    while (freed < bytes) {
      if (candidates.length === 0) candidates = this.#candidates();
      const victim = candidates.shift();
      if (!victim) return;
      this.#drop(victim);
      freed += Math.max(1, victim.bytes);
    }
  }

  /** The oldest telemetry chunks, those not in flight first. */
  #candidates(): RowMeta[] {
    const rows = this.st.oldestTelemetry.all(64) as RowMeta[];
    const free = rows.filter((r) => !this.pinned(r.stream, r.seq_from, r.seq_to));
    return free.length === rows.length ? rows : free.concat(rows.filter((r) => !free.includes(r)));
  }

  #drop(victim: RowMeta): void {
    this.st.deleteId.run(victim.id);
    this.forget(victim);
    this.counters.droppedReadings += victim.seq_to - victim.seq_from + 1;
    this.counters.droppedChunks += 1;
  }

  noteDroppedNew(n: number): void {
    this.counters.droppedReadings += n;
    this.counters.droppedNewReadings += n;
  }


}
