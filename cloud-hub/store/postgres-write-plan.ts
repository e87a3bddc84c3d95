/**
 * Pure planning for a PostgreSQL telemetry write: (batches) -> (stream upserts, insert chunks).
 * No I/O here; postgres-telemetry.ts runs the plan. A reading that an earlier batch of the same
 * call (in call order) already carries is left out, so it counts as a duplicate in the later
 * batch; the rest is ordered by (stream, seq) and cut into chunks of bounded size. Within a chunk,
 * each batch's readings form "runs" of consecutive seqs, which is how the INSERT statement
 * attributes what it inserted back to batches.
 */
import type { TelemetryWrite } from './types.ts';

export interface StreamPlan {
  device: string; stream: string;
  /** Features, feature-set id and backlog of the batch received last. */
  featuresJson: string; fs: number; backlog: number;
  highestSeq: number; droppedTotal: number; lastRxMs: number;
}

export interface WriteChunk {
  /** Per reading: index into WritePlan.streams, seq, time, feature set, value count and offset into `values`. */
  stream: number[]; seq: number[]; tsMs: number[]; fs: number[]; n: number[]; offset: number[];
  /** Every value of the chunk as one binary float8[] parameter (NaN kept: PostgreSQL float8 has it). */
  values: Buffer;
  /** Per run: stream index, first and last seq, and the batch (index into the call) it belongs to. */
  runStream: number[]; runLo: number[]; runHi: number[]; runBatch: number[];
}

export interface WritePlan { streams: StreamPlan[]; chunks: WriteChunk[] }

export interface ChunkLimits { rows: number; values: number }
const DEFAULT_LIMITS: ChunkLimits = { rows: 20_000, values: 320_000 };

export function planWrite(batches: readonly TelemetryWrite[], fsIds: readonly number[], limits = DEFAULT_LIMITS): WritePlan {
  const byKey = new Map<string, StreamPlan>();
  batches.forEach((b, i) => {
    const key = `${b.device}\u0000${b.stream}`;
    const n = b.readings.length;
    const s = byKey.get(key);
    const last = { featuresJson: JSON.stringify(b.features), fs: fsIds[i]!, backlog: b.backlog };
    if (!s) {
      byKey.set(key, { device: b.device, stream: b.stream, ...last, highestSeq: n > 0 ? b.firstSeq + n - 1 : 0, droppedTotal: b.droppedTotal, lastRxMs: b.receivedAtMs });
      return;
    }
    if (b.receivedAtMs >= s.lastRxMs) Object.assign(s, last, { lastRxMs: b.receivedAtMs });
    if (n > 0) s.highestSeq = Math.max(s.highestSeq, b.firstSeq + n - 1);
    s.droppedTotal = Math.max(s.droppedTotal, b.droppedTotal);
  });
  // Sorted streams: every transaction locks stream rows in the same order, so hubs never deadlock.
  const streams = [...byKey.values()].sort((a, b) => cmp(a.device, b.device) || cmp(a.stream, b.stream));
  const index = new Map(streams.map((s, i) => [`${s.device}\u0000${s.stream}`, i]));
  const streamOf = batches.map((b) => index.get(`${b.device}\u0000${b.stream}`)!);
  const order = batches.map((_, i) => i).sort((a, b) => streamOf[a]! - streamOf[b]! || batches[a]!.firstSeq - batches[b]!.firstSeq || a - b);

  // Which readings each batch leaves to an earlier batch of the call: decided in call order.
  const claimed = new Map<number, Array<[number, number]>>();
  const overlapsOf = batches.map((b, bi): Array<[number, number]> => {
    const n = b.readings.length;
    if (n === 0) return [];
    const lo = b.firstSeq;
    const hi = lo + n - 1;
    const taken = claimed.get(streamOf[bi]!) ?? [];
    const overlaps = taken.filter(([l, h]) => l <= hi && h >= lo);
    taken.push([lo, hi]);
    claimed.set(streamOf[bi]!, taken);
    return overlaps;
  });

  const chunks: WriteChunk[] = [];
  let k = newChunk();
  const values = new Float8ArrayWriter(limits.values);
  let open = -1; // index of the run that may still grow, in k
  const flush = () => {
    if (k.seq.length === 0) return;
    k.values = values.take();
    chunks.push(k);
    k = newChunk();
    open = -1;
  };
  for (const bi of order) {
    const b = batches[bi]!;
    const si = streamOf[bi]!;
    const n = b.readings.length;
    if (n === 0) continue;
    const overlaps = overlapsOf[bi]!;
    for (let j = 0; j < n; j++) {
      const seq = b.firstSeq + j;
      if (overlaps.length > 0 && overlaps.some(([l, h]) => seq >= l && seq <= h)) continue;
      const r = b.readings[j]!;
      if (k.seq.length >= limits.rows || !values.fits(r.values.length)) flush();
      k.stream.push(si); k.seq.push(seq); k.tsMs.push(r.tsMs); k.fs.push(fsIds[bi]!);
      k.offset.push(values.count); k.n.push(r.values.length);
      values.push(r.values);
      if (open >= 0 && k.runBatch[open] === bi && k.runHi[open] === seq - 1) {
        k.runHi[open] = seq;
      } else {
        open = k.runBatch.length;
        k.runStream.push(si); k.runLo.push(seq); k.runHi.push(seq); k.runBatch.push(bi);
      }
    }
  }
  flush();
  return { streams, chunks };
}

function newChunk(): WriteChunk {
  return { stream: [], seq: [], tsMs: [], fs: [], n: [], offset: [], values: Buffer.alloc(0), runStream: [], runLo: [], runHi: [], runBatch: [] };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const FLOAT8_OID = 701;
const HEADER = 20;

/**
 * Builds one float8[] in PostgreSQL's binary array format (array_recv): a header (1 dimension,
 * no nulls, element type, length, lower bound 1), then each element as int32 length 8 and the
 * big-endian double. NaN travels as itself; values are written straight in, no text.
 */
export class Float8ArrayWriter {
  #buf: Buffer;
  #view: DataView; // big-endian by default, as PostgreSQL wants
  #count = 0;
  readonly #max: number;

  constructor(maxValues: number) {
    this.#max = maxValues;
    this.#buf = Buffer.allocUnsafe(HEADER + 12 * Math.min(maxValues, 4096));
    this.#view = viewOf(this.#buf);
  }

  get count(): number { return this.#count; }

  /** Whether `n` more values fit; an empty writer takes the next reading however long it is. */
  fits(n: number): boolean { return this.#count === 0 || this.#count + n <= this.#max; }

  push(values: ArrayLike<number>): void {
    const need = HEADER + 12 * (this.#count + values.length);
    if (need > this.#buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, this.#buf.length * 2));
      this.#buf.copy(grown, 0, 0, HEADER + 12 * this.#count);
      this.#buf = grown;
      this.#view = viewOf(grown);
    }
    const view = this.#view;
    let o = HEADER + 12 * this.#count;
    for (let i = 0; i < values.length; i++) {
      view.setInt32(o, 8);
      view.setFloat64(o + 4, values[i] ?? Number.NaN);
      o += 12;
    }
    this.#count += values.length;
  }

  /** The finished array; the writer starts over empty. */
  take(): Buffer {
    const n = this.#count;
    const buf = this.#buf;
    this.#buf = Buffer.allocUnsafe(HEADER + 12 * Math.min(this.#max, 4096));
    this.#view = viewOf(this.#buf);
    this.#count = 0;
    if (n === 0) {
      const empty = Buffer.alloc(12); // ndim 0: PostgreSQL's empty array
      empty.writeInt32BE(FLOAT8_OID, 8);
      return empty;
    }
    buf.writeInt32BE(1, 0);
    buf.writeInt32BE(0, 4);
    buf.writeInt32BE(FLOAT8_OID, 8);
    buf.writeInt32BE(n, 12);
    buf.writeInt32BE(1, 16);
    return buf.subarray(0, HEADER + 12 * n);
  }
}

/** Reads a float8[] in the same binary format (from `array_send(vals)`); NaN and SQL NULL become null. */
export function readFloat8Array(buf: Buffer): Array<number | null> {
  if (buf.length < 20 || buf.readInt32BE(0) === 0) return [];
  const n = buf.readInt32BE(12);
  const out = new Array<number | null>(n);
  let o = HEADER;
  for (let i = 0; i < n; i++) {
    const len = buf.readInt32BE(o);
    if (len < 0) {
      out[i] = null;
      o += 4;
      continue;
    }
    const v = buf.readDoubleBE(o + 4);
    out[i] = Number.isNaN(v) ? null : v;
    o += 12;
  }
  return out;
}

function viewOf(b: Buffer): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}
