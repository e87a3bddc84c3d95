/**
 * The outbox's in-memory mirror of its stream_state rows and totals, so counters and seqs are
 * read without a query. A transaction that fails restores the snapshot taken before it.
 */
import type { StreamState } from './statements.ts';

export type RowKind = 'telemetry' | 'record';

export interface LedgerSnapshot { state: Map<string, StreamState>; records: number; bytes: number; readings: number }

export class Ledger {
  readonly #state = new Map<string, StreamState>();
  /** Rows waiting, their payload bytes, and the telemetry readings in them. */
  records = 0;
  bytes = 0;
  readings = 0;
  appended = 0;
  acked = 0;
  recordsAcked = 0;

  constructor(states: readonly StreamState[], totals: { records: number; bytes: number; readings: number }) {
    for (const s of states) this.#state.set(s.stream, s);
    this.records = totals.records;
    this.bytes = totals.bytes;
    this.readings = totals.readings;
  }

  stateOf(stream: string): StreamState {
    return this.#state.get(stream) ?? { stream, last_seq: 0, last_ts: null, dropped_total: 0 };
  }

  put(s: StreamState): void { this.#state.set(s.stream, s); }

  streams(): string[] { return [...this.#state.keys()]; }

  rowAdded(kind: RowKind, n: number, bytes: number): void {
    this.records += 1;
    this.bytes += bytes;
    if (kind === 'telemetry') this.readings += n;
  }

  rowRemoved(kind: RowKind, n: number, bytes: number): void {
    this.records -= 1;
    this.bytes -= bytes;
    if (kind === 'telemetry') this.readings -= n;
  }

  snapshot(): LedgerSnapshot {
    return { state: new Map(this.#state), records: this.records, bytes: this.bytes, readings: this.readings };
  }

  restore(s: LedgerSnapshot): void {
    this.#state.clear();
    for (const [k, v] of s.state) this.#state.set(k, v);
    this.records = s.records;
    this.bytes = s.bytes;
    this.readings = s.readings;
  }
}
