import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { encodeChunk } from '../../edge-agent/buffer/chunk-codec.ts';
import type { OutboxRow } from '../../edge-agent/buffer/outbox.ts';
import { buildTelemetryBatch } from '../../edge-agent/uplink/batch-builder.ts';
import { decode } from '../../shared/protocol/codec.ts';

const T0 = 1_700_000_000_000;
let nextId = 1;

/** A telemetry row of `n` readings from `seqFrom`; value f of reading seq s is s*10+f, NaN where s is a multiple of 5. */
function row(stream: string, seqFrom: number, n: number, features = ['a', 'b']): OutboxRow {
  const width = 1 + features.length;
  const data = new Float64Array(n * width);
  for (let i = 0; i < n; i++) {
    const s = seqFrom + i;
    data[i * width] = T0 + s;
    for (let f = 0; f < features.length; f++) data[i * width + 1 + f] = s % 5 === 0 && f === 1 ? NaN : s * 10 + f;
  }
  const payload = encodeChunk(features, new TextEncoder().encode(JSON.stringify(features)), data, n);
  return { id: nextId++, stream, seq_from: seqFrom, seq_to: seqFrom + n - 1, kind: 'telemetry', payload };
}

const wide = { maxReadings: 10_000, maxBytes: 256 * 1024 };

describe('telemetry batches', () => {
  test('pack consecutive chunks, and NaN goes on the wire as 0 plus its index in missing', () => {
    const b = buildTelemetryBatch('s', [row('s', 1, 4), row('s', 5, 3)], 1, wide, 7, 5)!;
    assert.equal(b.seqFrom, 1);
    assert.equal(b.seqTo, 7);
    const m = decode('telemetry', b.payload);
    assert.equal(m.stream, 's');
    assert.equal(m.firstSeq, 1);
    assert.deepEqual(m.features, ['a', 'b']);
    assert.equal(m.droppedTotal, 7);
    assert.equal(m.backlog, 3, 'five records wait, two of them travel in this batch');
    assert.deepEqual(m.readings.map((r) => r.tsMs), [1, 2, 3, 4, 5, 6, 7].map((s) => T0 + s));
    assert.deepEqual(m.readings[4]!.values, [50, 0]);
    assert.deepEqual(m.readings[4]!.missing, [1]);
    assert.deepEqual(m.readings[3]!.missing, []);
    const last = decode('telemetry', buildTelemetryBatch('s', [row('s', 1, 4), row('s', 5, 3)], 1, wide, 0, 2)!.payload);
    assert.equal(last.backlog, 0, 'a batch that drains the outbox reports an empty backlog');
  });

  test('start inside a chunk and stop at batchMaxReadings', () => {
    const b = buildTelemetryBatch('s', [row('s', 1, 10), row('s', 11, 10)], 4, { ...wide, maxReadings: 12 }, 0, 0)!;
    assert.deepEqual([b.seqFrom, b.seqTo, b.readings], [4, 15, 12]);
    assert.equal(decode('telemetry', b.payload).readings[0]!.values![0], 40);
  });

  test('stop at batchMaxBytes', () => {
    const features = Array.from({ length: 64 }, (_, i) => `f${i}`);
    const b = buildTelemetryBatch('s', [row('s', 1, 200, features)], 1, { maxReadings: 10_000, maxBytes: 20_000 }, 0, 0)!;
    assert.ok(b.payload.byteLength <= 20_000, `${b.payload.byteLength} bytes`);
    assert.ok(b.readings > 20 && b.readings < 200, `${b.readings} readings`);
  });

  test('stop at a gap (dropped chunk) and at a change of features', () => {
    assert.equal(buildTelemetryBatch('s', [row('s', 1, 5), row('s', 9, 5)], 1, wide, 3, 0)!.seqTo, 5);
    assert.equal(buildTelemetryBatch('s', [row('s', 1, 5), row('s', 6, 5, ['a', 'c'])], 1, wide, 0, 0)!.seqTo, 5);
    assert.equal(buildTelemetryBatch('s', [row('s', 9, 5)], 3, wide, 3, 0)!.seqFrom, 9, 'starts at the first seq present');
    assert.equal(buildTelemetryBatch('s', [], 1, wide, 0, 0), null);
  });
});
