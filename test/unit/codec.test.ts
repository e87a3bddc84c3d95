import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Messages, Limits, decode, encode, rejectReason, type WireKind } from '../../shared/protocol/index.ts';
import { isEdgehiveError } from '../../shared/errors/index.ts';

const now = Date.UTC(2026, 10, 22, 12);

const samples: { [K in WireKind]: Parameters<typeof encode<K>>[1] } = {
  status: { online: true, agentVersion: '0.1.0', profile: 'rpi4', activeBundle: '', tsMs: now, startedMs: now - 1000 },
  telemetry: { stream: 'pump', firstSeq: 41, features: ['a', 'b'], readings: [{ tsMs: now, values: [1.5, -2] }, { tsMs: now + 1000, values: [0, 3], missing: [0] }], droppedTotal: 7, backlog: 3 },
  events: { seq: 1, events: [{ tsMs: now, model: 'm', modelVersion: '3', score: 0.9, anomaly: true, latencyMs: 1.2 }] },
  drift: { seq: 2, tsMs: now, model: 'm', features: [{ feature: 'a', psi: 0.3, ks: 0.1, samples: 100 }], outputJs: 0.05, samples: 100 },
  reported: { tsMs: now, active: { bundleId: 'b1', model: 'm', version: 3, healthy: true }, chunksHave: 1, chunksTotal: 2 },
  fl: { seq: 3, roundId: 'r1', samples: 10, maskedDelta: new Uint8Array([1, 2, 3]), loss: 0.2 },
  desired: { tsMs: now, bundleId: 'b1', bundleChunks: 4, bundleBytes: 1000 },
  ack: { stream: 'pump', seqFrom: 41, seqTo: 42 },
  'bundle-chunk': { bundleId: 'b1', index: 0, total: 2, data: new Uint8Array(10), sha256: new Uint8Array(32) },
  'fl-round': { roundId: 'r1', model: 'm', localEpochs: 1, learningRate: 0.01, minClients: 2, deadlineMs: now, selectedDevices: ['d1'] },
};

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(isEdgehiveError(e), `expected an EdgehiveError, got ${String(e)}`);
    return e.code;
  }
  assert.fail('expected a rejection');
}

describe('codec round-trips', () => {
  for (const kind of Object.keys(samples) as WireKind[]) {
    test(`${kind} survives encode and decode unchanged`, () => {
      const bytes = encode(kind, samples[kind] as never);
      const back = decode(kind, bytes);
      const again = encode(kind, back as never);
      assert.deepEqual(Buffer.from(again), Buffer.from(bytes));
    });
  }

  test('64-bit sequence numbers decode as plain numbers, exact up to 2^53-1', () => {
    const big = Number.MAX_SAFE_INTEGER - 1;
    const back = decode('telemetry', encode('telemetry', { ...samples.telemetry, firstSeq: big - 1 }));
    assert.equal(typeof back.firstSeq, 'number');
    assert.equal(back.firstSeq, big - 1);
  });
});

describe('codec rejects malformed input with a reason', () => {
  const good = encode('telemetry', samples.telemetry);

  test('bytes that are not protobuf', () => {
    assert.equal(codeOf(() => decode('telemetry', Buffer.from('{"stream":"pump","readings":[]}'))), 'EH_PAYLOAD_NOT_PROTOBUF');
    assert.equal(codeOf(() => decode('telemetry', good.subarray(0, good.length - 3))), 'EH_PAYLOAD_NOT_PROTOBUF');
  });

  test('a message of another type (unknown fields)', () => {
    const status = encode('status', samples.status);
    assert.equal(codeOf(() => decode('ack', status)), 'EH_PAYLOAD_NOT_PROTOBUF');
  });

  test('a payload over the size limit, before decoding it', () => {
    assert.equal(codeOf(() => decode('telemetry', new Uint8Array(Limits.maxPayloadBytes + 1))), 'EH_PAYLOAD_TOO_LARGE');
    assert.equal(rejectReason(new Error('x')), 'internal');
  });

  test('NaN and Infinity values, in either direction', () => {
    const nan = Messages.telemetry.encode({ ...samples.telemetry, readings: [{ tsMs: now, values: [NaN, 1] }] }).finish();
    assert.equal(codeOf(() => decode('telemetry', nan)), 'EH_VALUE_NOT_FINITE');
    assert.equal(codeOf(() => encode('telemetry', { ...samples.telemetry, readings: [{ tsMs: now, values: [1, Infinity] }] })), 'EH_VALUE_NOT_FINITE');
    assert.equal(codeOf(() => encode('events', { seq: 1, events: [{ tsMs: now, score: NaN }] })), 'EH_VALUE_NOT_FINITE');
  });

  test('ids that break [A-Za-z0-9_-]{1,64}', () => {
    assert.equal(codeOf(() => encode('telemetry', { ...samples.telemetry, features: ['a', 'b c'] })), 'EH_ID_INVALID');
    assert.equal(codeOf(() => encode('bundle-chunk', { ...samples['bundle-chunk'], bundleId: 'x'.repeat(65) })), 'EH_ID_INVALID');
    assert.equal(codeOf(() => encode('fl-round', { ...samples['fl-round'], selectedDevices: ['../etc'] })), 'EH_ID_INVALID');
  });

  test('unknown or reserved streams', () => {
    assert.equal(codeOf(() => encode('telemetry', { ...samples.telemetry, stream: 'events' })), 'EH_STREAM_UNKNOWN');
    assert.equal(codeOf(() => encode('ack', { stream: 'a/b', seqFrom: 1, seqTo: 1 })), 'EH_STREAM_UNKNOWN');
  });

  test('sequence numbers out of range', () => {
    assert.equal(codeOf(() => encode('telemetry', { ...samples.telemetry, firstSeq: 0 })), 'EH_SEQ_OUT_OF_RANGE');
    assert.equal(codeOf(() => encode('telemetry', { ...samples.telemetry, firstSeq: Number.MAX_SAFE_INTEGER })), 'EH_SEQ_OUT_OF_RANGE');
    assert.equal(codeOf(() => encode('ack', { stream: 'pump', seqFrom: 5, seqTo: 4 })), 'EH_SEQ_OUT_OF_RANGE');
  });

  test('structural rules: value count, missing index, empty batch, timestamps, chunk hash', () => {
    assert.equal(codeOf(() => encode('telemetry', { ...samples.telemetry, readings: [{ tsMs: now, values: [1] }] })), 'EH_PAYLOAD_INVALID');
    assert.equal(codeOf(() => encode('telemetry', { ...samples.telemetry, readings: [{ tsMs: now, values: [1, 2], missing: [2] }] })), 'EH_PAYLOAD_INVALID');
    assert.equal(codeOf(() => encode('telemetry', { ...samples.telemetry, readings: [] })), 'EH_PAYLOAD_INVALID');
    assert.equal(codeOf(() => encode('telemetry', { ...samples.telemetry, readings: [{ tsMs: 5, values: [1, 2] }] })), 'EH_PAYLOAD_INVALID');
    assert.equal(codeOf(() => encode('bundle-chunk', { ...samples['bundle-chunk'], sha256: new Uint8Array(31) })), 'EH_PAYLOAD_INVALID');
    assert.equal(codeOf(() => encode('bundle-chunk', { ...samples['bundle-chunk'], index: 2 })), 'EH_PAYLOAD_INVALID');
  });

  test('each reject maps to the reason the hub counts', () => {
    const reasons = [
      [() => decode('telemetry', Buffer.from('nope')), 'not_protobuf'],
      [() => decode('telemetry', new Uint8Array(Limits.maxPayloadBytes + 1)), 'oversize'],
      [() => encode('telemetry', { ...samples.telemetry, firstSeq: 0 }), 'seq_out_of_range'],
    ] as const;
    for (const [fn, reason] of reasons) {
      try { fn(); assert.fail('should throw'); } catch (e) { assert.equal(rejectReason(e), reason); }
    }
  });
});

test('an unknown field nested inside a reading is refused too', async () => {
  const protobuf = (await import('protobufjs/minimal.js')).default;
  const w = protobuf.Writer.create();
  // TelemetryBatch{stream:"pump", first_seq:1, features:["a"], readings:[Reading{ts, values:[1], field 9}]}
  const reading = protobuf.Writer.create().uint32(9).double(now).uint32(18).fork().double(1).ldelim().uint32(72).uint32(5).finish();
  w.uint32(10).string('pump').uint32(16).uint64(1).uint32(26).string('a').uint32(34).bytes(reading);
  assert.equal(codeOf(() => decode('telemetry', w.finish())), 'EH_PAYLOAD_NOT_PROTOBUF');
});
