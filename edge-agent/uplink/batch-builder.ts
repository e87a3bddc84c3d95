/**
 * Outbox rows → one TelemetryBatch. Packs consecutive chunks of one stream (contiguous seqs, same
 * features) from `startSeq` on, within uplink.batchMaxReadings and batchMaxBytes. NaN never goes
 * on the wire: its slot becomes 0 and its index goes in `missing`.
 */
import { encode } from '../../shared/protocol/codec.ts';
import type { Encodable } from '../../shared/protocol/messages.ts';
import { decodeChunk, type DecodedChunk } from '../buffer/chunk-codec.ts';
import type { OutboxRow } from '../buffer/outbox.ts';

export interface BatchLimits { maxReadings: number; maxBytes: number }

export interface BuiltBatch { seqFrom: number; seqTo: number; payload: Uint8Array; readings: number }

type WireReading = NonNullable<Encodable['telemetry']['readings']>[number];

/** Protobuf bytes of one reading, from above: tags, lengths, a varint per missing index. */
function readingBytes(nf: number, missing: number): number {
  return 16 + 8 * nf + 2 * missing;
}

function toWire(chunk: DecodedChunk, row: number): { reading: WireReading; bytes: number } {
  const nf = chunk.features.length;
  const o = row * (1 + nf);
  const values = new Array<number>(nf);
  let missing: number[] | undefined;
  for (let i = 0; i < nf; i++) {
    const v = chunk.data[o + 1 + i]!;
    if (Number.isNaN(v)) {
      values[i] = 0;
      (missing ??= []).push(i);
    } else values[i] = v;
  }
  const reading: WireReading = missing ? { tsMs: chunk.data[o]!, values, missing } : { tsMs: chunk.data[o]!, values };
  return { reading, bytes: readingBytes(nf, missing?.length ?? 0) };
}

/**
 * Builds the batch starting at `startSeq` from `rows` (telemetry rows of one stream, oldest
 * first, the first holding `startSeq` or after it). Null when rows is empty or starts with a record.
 */
export function buildTelemetryBatch(stream: string, rows: readonly OutboxRow[], startSeq: number, limits: BatchLimits, droppedTotal: number, backlog: number): BuiltBatch | null {
  const first = rows[0];
  if (!first || first.kind !== 'telemetry') return null;
  let features: string[] | null = null;
  const readings: WireReading[] = [];
  let bytes = 64 + stream.length;
  let seqFrom = Math.max(startSeq, first.seq_from);
  let next = seqFrom;
  let rowsUsed = 0;
  outer: for (const row of rows) {
    if (row.kind !== 'telemetry' || row.seq_from > next) break;
    rowsUsed += 1;
    const chunk = decodeChunk(row.payload);
    if (features === null) {
      features = chunk.features;
      bytes += features.reduce((n, f) => n + f.length + 2, 0);
    } else if (chunk.features.length !== features.length || chunk.features.some((f, i) => f !== features![i])) break;
    for (let r = next - row.seq_from; r < chunk.readings; r++) {
      const w = toWire(chunk, r);
      if (readings.length > 0 && (readings.length >= limits.maxReadings || bytes + w.bytes > limits.maxBytes)) break outer;
      readings.push(w.reading);
      bytes += w.bytes;
      next += 1;
    }
  }
  if (!features || readings.length === 0) return null;
  // The backlog the hub shows is what waits besides this batch: a drained device reads 0.
  const message: Encodable['telemetry'] = { stream, firstSeq: seqFrom, features, readings, droppedTotal, backlog: Math.max(0, backlog - rowsUsed) };
  let payload = encode('telemetry', message);
  // The estimate is generous; if a batch still comes out too big, halve it until it fits.
  while (payload.byteLength > limits.maxBytes && readings.length > 1) {
    readings.length = Math.ceil(readings.length / 2);
    payload = encode('telemetry', message);
  }
  seqFrom = message.firstSeq as number;
  return { seqFrom, seqTo: seqFrom + readings.length - 1, payload, readings: readings.length };
}
