/**
 * The store-and-forward outbox: SQLite (WAL, every commit synced by default: buffer.synchronous)
 * holding every outgoing record until the hub acks it. Sequence numbers are assigned inside the
 * transaction that stores the data, so a seq exists only once its data is durable and "no gap =
 * no loss" can be checked. The delete of acked rows alone is committed without a sync: losing it
 * in a power cut only brings back rows the hub already stores (docs/decisions/0005).
 * Size bound and drop policy: space.ts and the README.
 */
import type Database from 'better-sqlite3';
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { Clock } from '../../shared/time/clock.ts';
import type { Logger } from '../../shared/log/logger.ts';
import { AckRanges } from './ack-ranges.ts';
import { Ledger, type RowKind } from './ledger.ts';
import { openBufferDb } from './open-db.ts';
import type { SizePlan } from './schema.ts';
import { Space, type DropCounters, type Pinned } from './space.ts';
import { Statements, type OutboxRow, type StreamState } from './statements.ts';

export type { OutboxRow, StreamState } from './statements.ts';

export interface OutboxOptions { path: string; maxBytes: number; clock: Clock; logger: Logger; synchronous?: 'full' | 'normal' }

/** One telemetry chunk to append (payload from chunk-codec.ts). */
export interface ChunkInput { stream: string; payload: Uint8Array; readings: number; lastTsMs: number }

export interface OutboxCounters extends DropCounters {
  records: number;
  readings: number;
  bytes: number;
  readingsAppended: number;
  readingsAcked: number;
  recordsAcked: number;
  /** Bytes of the main file in use (pages minus free pages), and its bound. */
  usedBytes: number;
  capacityBytes: number;
}

type Gone = { seq_from: number; seq_to: number; kind: RowKind; bytes: number };

const isFull = (e: unknown): boolean => (e as { code?: string } | null)?.code === 'SQLITE_FULL';

export class Outbox {
  readonly plan: SizePlan;
  readonly #db: Database.Database;
  readonly #st: Statements;
  readonly #space: Space;
  readonly #ledger: Ledger;
  readonly #acks = new Map<string, AckRanges>();
  /** PRAGMA synchronous NORMAL / FULL, switched around the ack delete when commits are synced. */
  readonly #syncSwitch: { normal: Database.Statement; full: Database.Statement } | null;
  #closed = false;

  constructor(private readonly opts: OutboxOptions) {
    ({ db: this.#db, plan: this.plan } = openBufferDb(opts.path, opts.maxBytes, opts.logger, opts.synchronous));
    this.#st = new Statements(this.#db);
    this.#syncSwitch = (opts.synchronous ?? 'full') === 'full'
      ? { normal: this.#db.prepare('PRAGMA synchronous = NORMAL'), full: this.#db.prepare('PRAGMA synchronous = FULL') }
      : null;
    this.#ledger = new Ledger(this.#st.allStates.all() as StreamState[], this.#st.totals.get() as { records: number; bytes: number; readings: number });
    this.#space = new Space(this.#st, this.plan, (row) => this.#forget(row.stream, { ...row, kind: 'telemetry' }));
  }

  /** Readings a chunk of `features` may hold so one transaction stays inside the WAL budget. */
  maxChunkReadings(features: number): number {
    return Math.max(1, Math.floor((this.plan.maxChunkBytes - 1024) / (8 * (1 + features))));
  }

  /** The uplink marks batches in flight; the drop policy takes other chunks first. */
  setPinned(p: Pinned): void { this.#space.pinned = p; }

  /**
   * Stores chunks in one transaction, each with the next seqs of its stream. Near the bound the
   * oldest telemetry goes first; when only records are left the new chunk is dropped (its seqs
   * still assigned and counted as dropped, so the gap the hub sees equals the count).
   */
  appendTelemetry(chunks: readonly ChunkInput[]): void {
    if (chunks.length === 0) return;
    this.#checkOpen();
    const run = this.#db.transaction((forceDrop: boolean) => {
      for (const c of chunks) {
        const fits = !forceDrop && this.#space.ensureRoom(c.payload.byteLength, this.plan.highWater);
        this.#insert(c.stream, c.readings, c.lastTsMs, 'telemetry', fits ? c.payload : null);
      }
    });
    this.#withFullRetry(() => run(false), () => run(true), 'telemetry');
    for (const c of chunks) this.#ledger.appended += c.readings;
  }

  /** Stores one non-telemetry record (never dropped); `build` gets its seq. Returns the seq. */
  appendRecord(stream: string, build: (seq: number, tsMs: number) => Uint8Array): number {
    this.#checkOpen();
    let seq = 0;
    const run = this.#db.transaction(() => {
      seq = this.#ledger.stateOf(stream).last_seq + 1;
      const tsMs = this.opts.clock.now();
      const payload = build(seq, tsMs);
      this.#space.ensureRoom(payload.byteLength, 1);
      this.#insert(stream, 1, tsMs, 'record', payload);
    });
    this.#withFullRetry(run, () => {
      throw new EdgehiveError('EH_STORE_FULL', `agent buffer is full of records that may not be dropped; ${stream} record not stored`);
    }, 'record');
    return seq;
  }

  /** Inserts one row (or, with payload null, only counts its readings as dropped). */
  #insert(stream: string, n: number, lastTs: number, kind: RowKind, payload: Uint8Array | null): void {
    const s = this.#ledger.stateOf(stream);
    const next: StreamState = { ...s, last_seq: s.last_seq + n, last_ts: Math.max(s.last_ts ?? -Infinity, lastTs) };
    if (payload) {
      this.#st.insert.run(stream, s.last_seq + 1, next.last_seq, kind, payload, payload.byteLength, Math.round(this.opts.clock.now()));
      this.#ledger.rowAdded(kind, n, payload.byteLength);
    } else {
      next.dropped_total += n;
      this.#space.noteDroppedNew(n);
    }
    this.#save(next);
  }

  #save(s: StreamState): void {
    this.#st.saveState.run(s.stream, s.last_seq, s.last_ts, s.dropped_total);
    this.#ledger.put(s);
  }

  /** Runs `tx`; on SQLITE_FULL frees the oldest telemetry and tries once more, then `fallback`. */
  #withFullRetry(tx: () => void, fallback: () => void, what: string): void {
    for (let attempt = 0; ; attempt++) {
      const before = { ledger: this.#ledger.snapshot(), drops: { ...this.#space.counters } };
      try {
        tx();
        return;
      } catch (e) {
        this.#ledger.restore(before.ledger);
        Object.assign(this.#space.counters, before.drops);
        if (!isFull(e)) throw e;
      }
      if (attempt === 1) {
        this.opts.logger.warn({ what }, 'agent buffer full after dropping old telemetry');
        return fallback();
      }
      this.#space.counters.fullRetries += 1;
      this.#db.transaction(() => this.#space.freeBytes(this.plan.maxChunkBytes * 2))();
    }
  }

  /** A row deleted without an ack: its readings count as dropped. */
  #forget(stream: string, row: Gone): void {
    const n = row.seq_to - row.seq_from + 1;
    const s = this.#ledger.stateOf(stream);
    this.#save({ ...s, dropped_total: s.dropped_total + n });
    this.#ledger.rowRemoved(row.kind, n, row.bytes);
  }

  /** Deletes the rows of `stream` that acks now wholly cover. Returns what left the outbox. */
  ack(stream: string, seqFrom: number, seqTo: number): { rows: number; readings: number } {
    this.#checkOpen();
    // Nothing above the last assigned seq exists here. Such an ack is not remembered, so it can
    // never join a later one to delete rows the hub has not stored.
    const last = this.#ledger.stateOf(stream).last_seq;
    if (seqFrom > last) return { rows: 0, readings: 0 };
    let ranges = this.#acks.get(stream);
    if (!ranges) this.#acks.set(stream, (ranges = new AckRanges()));
    const [lo, hi] = ranges.add(seqFrom, Math.min(seqTo, last));
    const gone = this.#unsynced(() => this.#st.deleteRange.all(stream, lo, hi) as Gone[]);
    let readings = 0;
    for (const g of gone) {
      const n = g.seq_to - g.seq_from + 1;
      this.#ledger.rowRemoved(g.kind, n, g.bytes);
      if (g.kind === 'telemetry') readings += n;
      else this.#ledger.recordsAcked += 1;
    }
    this.#ledger.acked += readings;
    ranges.pruneBelow(this.oldestSeq(stream) ?? last + 1);
    return { rows: gone.length, readings };
  }

  /**
   * Runs one statement (its own transaction) with synchronous=NORMAL: committed to the WAL but not
   * synced; the next synced commit or checkpoint makes it durable. Only for the ack delete: if a
   * power cut loses it, the rows come back and are sent again, and the hub, which stores them
   * already, acks them as duplicates. Seqs live in stream_state, written only by synced commits,
   * so a lost delete can never make a seq be assigned twice (docs/decisions/0005).
   */
  #unsynced<T>(run: () => T): T {
    const sw = this.#syncSwitch;
    if (!sw) return run();
    sw.normal.run();
    try {
      return run();
    } finally {
      sw.full.run();
    }
  }

  /** Deletes rows within [seqFrom, seqTo] that can never be sent (counted as dropped). */
  discard(stream: string, seqFrom: number, seqTo: number): void {
    this.#checkOpen();
    this.#db.transaction(() => {
      for (const g of this.#st.deleteRange.all(stream, seqFrom, seqTo) as Gone[]) this.#forget(stream, g);
    })();
  }

  /** Rows of `stream` holding seq >= fromSeq, oldest first. */
  readFrom(stream: string, fromSeq: number, limit: number): OutboxRow[] {
    this.#checkOpen();
    const first = this.#st.rowAt.get(stream, fromSeq) as OutboxRow | undefined;
    const head = first && first.seq_to >= fromSeq ? [first] : [];
    return head.concat(this.#st.rowsAfter.all(stream, fromSeq, limit - head.length) as OutboxRow[]);
  }

  oldestSeq(stream: string): number | null {
    return (this.#st.oldest.get(stream) as { s: number | null }).s;
  }

  /** Outbox rows waiting for an ack. */
  get recordCount(): number { return this.#ledger.records; }

  /** Streams the outbox has ever numbered. */
  streams(): string[] { return this.#ledger.streams(); }

  state(stream: string): StreamState { return this.#ledger.stateOf(stream); }

  counters(): OutboxCounters {
    return { ...this.ledgerCounters(), ...(this.#closed ? { usedBytes: 0, capacityBytes: 0 } : this.#space.usage()) };
  }

  /**
   * The counters kept in memory, without the file usage (which takes two queries): what the
   * agent's stats() and a simulator's progress line over a thousand agents read.
   */
  ledgerCounters(): Omit<OutboxCounters, 'usedBytes' | 'capacityBytes'> {
    const l = this.#ledger;
    return {
      ...this.#space.counters,
      records: l.records,
      readings: l.readings,
      bytes: l.bytes,
      readingsAppended: l.appended,
      readingsAcked: l.acked,
      recordsAcked: l.recordsAcked,
    };
  }

  /** The connection's PRAGMA synchronous now (what the next append commits with). */
  synchronousNow(): 'full' | 'normal' | 'other' {
    this.#checkOpen();
    const v = this.#db.pragma('synchronous', { simple: true });
    return v === 2 ? 'full' : v === 1 ? 'normal' : 'other';
  }

  /** Moves the WAL into the main file and truncates it; called on a timer and at close. */
  checkpoint(): void {
    if (!this.#closed) this.#db.pragma('wal_checkpoint(TRUNCATE)');
  }

  get closed(): boolean { return this.#closed; }

  /** `abrupt`: no checkpoint first, as after a crash. */
  close(abrupt = false): void {
    if (this.#closed) return;
    if (!abrupt) {
      try { this.checkpoint(); } catch (e) { this.opts.logger.warn({ err: e }, 'checkpoint at close failed'); }
    }
    this.#closed = true;
    this.#db.close();
  }

  #checkOpen(): void {
    if (this.#closed) throw new EdgehiveError('EH_STATE', 'agent buffer is closed');
  }
}
