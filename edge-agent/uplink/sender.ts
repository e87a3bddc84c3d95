/**
 * Outbox → hub. Per stream, reads the oldest rows not yet in flight, packs telemetry into
 * TelemetryBatch messages (records go one per message on their own topic), keeps up to
 * uplink.maxInFlight batches unacked, and deletes rows only when the hub's Ack covers them.
 * A batch unacked after uplink.ackTimeoutMs, and everything unacked after a reconnect, is sent
 * again from the oldest row (go-back-N; the hub stores each (device, stream, seq) once).
 */
import { decode } from '../../shared/protocol/codec.ts';
import { isRecordStream } from '../../shared/protocol/streams.ts';
import type { FleetTopics } from '../../shared/protocol/topics.ts';
import type { Logger } from '../../shared/log/logger.ts';
import type { Outbox, OutboxRow } from '../buffer/outbox.ts';
import { RateLimitedLog } from '../util/rate-limited-log.ts';
import { buildTelemetryBatch } from './batch-builder.ts';

export interface SenderOptions {
  batchMaxReadings: number;
  batchMaxBytes: number;
  maxInFlight: number;
  ackTimeoutMs: number;
  /** buffer.chunkMaxReadings: how many rows one batch needs when chunks are full. */
  chunkMaxReadings?: number;
}

/** What the sender needs of the connection. */
export interface Publisher {
  readonly connected: boolean;
  publish(topic: string, payload: Uint8Array): boolean;
}

interface InFlight { from: number; to: number; at: number }
interface StreamCursor { next: number; inflight: InFlight[] }

export interface SenderCounters { batchesSent: number; resends: number; acks: number; unknownAcks: number; badAcks: number; poisoned: number }

/** At most this many rows are read for one batch (a backlog of one-reading chunks). */
const MAX_READ_ROWS = 256;

export class Sender {
  readonly #cursors = new Map<string, StreamCursor>();
  readonly counters: SenderCounters = { batchesSent: 0, resends: 0, acks: 0, unknownAcks: 0, badAcks: 0, poisoned: 0 };
  #pumping = false;
  readonly #log: RateLimitedLog;
  /** Rows read first for a batch: enough full chunks for batchMaxReadings, and one more for a start inside a chunk. */
  readonly #readRows: number;

  constructor(
    private readonly outbox: Outbox,
    private readonly link: Publisher,
    private readonly topics: FleetTopics,
    private readonly deviceId: string,
    private readonly opts: SenderOptions,
    logger: Logger,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#log = new RateLimitedLog(logger, 10_000);
    this.#readRows = Math.min(MAX_READ_ROWS, Math.ceil(opts.batchMaxReadings / Math.max(1, opts.chunkMaxReadings ?? 256)) + 1);
    outbox.setPinned((stream, from, to) => this.#cursors.get(stream)?.inflight.some((f) => f.from <= to && f.to >= from) ?? false);
  }

  #cursor(stream: string): StreamCursor {
    let c = this.#cursors.get(stream);
    if (!c) this.#cursors.set(stream, (c = { next: 0, inflight: [] }));
    return c;
  }

  /** Connection lost: whatever was in flight is sent again after the reconnect. */
  onDown(): void {
    for (const c of this.#cursors.values()) this.#rewind(c);
  }

  onUp(): void {
    for (const c of this.#cursors.values()) this.#rewind(c);
    this.pump();
  }

  #rewind(c: StreamCursor): void {
    this.counters.resends += c.inflight.length;
    c.inflight = [];
    c.next = 0;
  }

  /** Handles a payload from d/{device}/ack. */
  onAck(payload: Uint8Array): void {
    let ack;
    try {
      ack = decode('ack', payload);
    } catch (e) {
      this.counters.badAcks += 1;
      this.#log.warn('bad-ack', { err: (e as Error).message }, 'ignoring an ack that does not decode');
      return;
    }
    const stream = ack.stream;
    const from = Number(ack.seqFrom);
    const to = Number(ack.seqTo);
    this.counters.acks += 1;
    const gone = this.outbox.ack(stream, from, to);
    const c = this.#cursors.get(stream);
    const before = c?.inflight.length ?? 0;
    if (c) c.inflight = c.inflight.filter((f) => !(f.from >= from && f.to <= to));
    if (gone.rows === 0 && (c?.inflight.length ?? 0) === before) this.counters.unknownAcks += 1;
    this.pump();
  }

  /** Resends batches whose ack is overdue. Called on a timer. */
  tick(): void {
    const t = this.now();
    for (const c of this.#cursors.values()) {
      const oldest = c.inflight[0];
      if (oldest && t - oldest.at > this.opts.ackTimeoutMs) this.#rewind(c);
    }
    this.pump();
  }

  /** Sends what the in-flight windows allow. Called when rows arrive, acks come, or the link is up. */
  pump(): void {
    if (this.#pumping || !this.link.connected) return;
    this.#pumping = true;
    try {
      let progress = true;
      while (progress && this.link.connected) {
        progress = false;
        for (const stream of this.outbox.streams()) {
          const c = this.#cursor(stream);
          if (c.inflight.length >= this.opts.maxInFlight) continue;
          if (this.#sendOne(stream, c)) progress = true;
        }
      }
    } finally {
      this.#pumping = false;
    }
  }

  #sendOne(stream: string, c: StreamCursor): boolean {
    const state = this.outbox.state(stream);
    if (c.next > state.last_seq) return false;
    const rows = this.#readRowsFor(stream, c.next);
    const first = rows[0];
    if (!first) {
      c.next = state.last_seq + 1;
      return false;
    }
    let topic: string;
    let batch: { seqFrom: number; seqTo: number; payload: Uint8Array };
    if (first.kind === 'record') {
      if (!isRecordStream(stream)) return this.#poison(stream, c, first.seq_from, first.seq_to, new Error(`record in non-record stream ${stream}`));
      topic = this.topics.device(this.deviceId, stream);
      batch = { seqFrom: first.seq_from, seqTo: first.seq_to, payload: first.payload };
    } else {
      topic = this.topics.device(this.deviceId, 'telemetry');
      try {
        const built = buildTelemetryBatch(stream, rows, c.next, { maxReadings: this.opts.batchMaxReadings, maxBytes: this.opts.batchMaxBytes }, state.dropped_total, this.outbox.recordCount);
        if (!built) return false;
        batch = built;
      } catch (e) {
        return this.#poison(stream, c, first.seq_from, first.seq_to, e as Error);
      }
    }
    if (!this.link.publish(topic, batch.payload)) return false;
    c.inflight.push({ from: batch.seqFrom, to: batch.seqTo, at: this.now() });
    c.next = batch.seqTo + 1;
    this.counters.batchesSent += 1;
    return true;
  }

  /**
   * The rows a batch from `from` may use. Every row read is a payload copied out of SQLite (a full
   * chunk of 16 features is 35 KB), so it reads about as many as one batch takes when chunks are
   * full, and reads more only while the rows so far hold fewer than batchMaxReadings readings
   * (small chunks: a slow sensor's backlog).
   */
  #readRowsFor(stream: string, from: number): OutboxRow[] {
    let rows = this.outbox.readFrom(stream, from, this.#readRows);
    let more = rows.length === this.#readRows;
    while (more && rows.length < MAX_READ_ROWS) {
      const last = rows[rows.length - 1]!;
      if (last.kind !== 'telemetry') break;
      const have = last.seq_to - Math.max(from, rows[0]!.seq_from) + 1;
      const want = this.opts.batchMaxReadings - have;
      if (want <= 0) break;
      const n = Math.min(MAX_READ_ROWS - rows.length, Math.ceil(want / (have / rows.length)) + 1);
      const next = this.outbox.readFrom(stream, last.seq_to + 1, n).filter((r) => r.seq_from > last.seq_to);
      rows = rows.concat(next);
      more = next.length === n;
    }
    return rows;
  }

  /** A row that cannot be sent would block its stream for ever: it is discarded (counted) and logged. */
  #poison(stream: string, c: StreamCursor, from: number, to: number, err: Error): boolean {
    this.counters.poisoned += 1;
    this.#log.error('poison', { stream, from, to, err: err.message }, 'outbox row cannot be sent; discarding it');
    this.outbox.discard(stream, from, to);
    c.next = to + 1;
    return true;
  }

  inFlight(): number {
    let n = 0;
    for (const c of this.#cursors.values()) n += c.inflight.length;
    return n;
  }
}
