import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { CHUNK_BYTES, checkChunk, joinChunks, sha256, sha256Hex, splitBundle } from '../../shared/bundle/index.ts';
import { isEdgehiveError, type ErrorCode } from '../../shared/errors/index.ts';
import { Limits } from '../../shared/protocol/limits.ts';

const refused = (code: ErrorCode, text?: RegExp) => (e: unknown) => {
  assert.ok(isEdgehiveError(e), `expected an EdgehiveError, got ${String(e)}`);
  assert.equal(e.code, code, e.message);
  if (text) assert.match(e.message, text);
  return true;
};

const bytes = new Uint8Array(randomBytes(2 * CHUNK_BYTES + 1000));
const chunks = splitBundle(bytes);
const id = sha256Hex(new Uint8Array([1]));
const expect = { bundleId: id, total: chunks.length, bytes: bytes.length };
const wire = (i: number) => ({ bundleId: id, ...chunks[i]! });

describe('bundle chunks', () => {
  test('split into 256 KiB chunks that each fit an MQTT payload, and join back to the same bytes', () => {
    assert.equal(CHUNK_BYTES, 256 * 1024);
    assert.deepEqual(chunks.map((c) => c.data.length), [CHUNK_BYTES, CHUNK_BYTES, 1000]);
    assert.ok(chunks.every((c, i) => c.index === i && c.total === 3 && c.sha256.length === 32));
    for (let i = 0; i < 3; i++) checkChunk(wire(i), expect);
    const joined = joinChunks(chunks.map((c) => c.data), { bytes: bytes.length, sha256Hex: sha256Hex(bytes) });
    assert.ok(Buffer.from(joined).equals(Buffer.from(bytes)));
    assert.equal(splitBundle(bytes, 1000).length, Math.ceil(bytes.length / 1000));
  });

  test('refuses a chunk of another bundle', () => {
    assert.throws(() => checkChunk({ ...wire(0), bundleId: 'f'.repeat(64) }, expect), refused('EH_BUNDLE_CHUNK', /another bundle/));
  });

  test('refuses an index out of range and a total that disagrees with the desired state', () => {
    assert.throws(() => checkChunk({ ...wire(2), index: 3 }, expect), refused('EH_BUNDLE_CHUNK', /index out of range/));
    assert.throws(() => checkChunk({ ...wire(2), index: -1 }, expect), refused('EH_BUNDLE_CHUNK', /index out of range/));
    assert.throws(() => checkChunk({ ...wire(1), total: 2 }, expect), refused('EH_BUNDLE_CHUNK', /says the bundle has 2 chunks/));
  });

  test('refuses too many chunks for the bundle size or the protocol limit', () => {
    assert.throws(() => checkChunk({ ...wire(0), total: 4 }, { ...expect, total: 4 }), refused('EH_BUNDLE_CHUNK', /too many chunks/));
    const huge = Limits.maxChunks + 1;
    assert.throws(() => checkChunk({ ...wire(0), total: huge }, { bundleId: id, total: huge, bytes: huge * CHUNK_BYTES }), refused('EH_BUNDLE_CHUNK', /too many chunks/));
    assert.throws(() => splitBundle(new Uint8Array(Limits.maxChunks + 1), 1), refused('EH_BUNDLE_CHUNK', /too many chunks/));
  });

  test('refuses a chunk whose data does not match its hash, or is longer than a chunk', () => {
    const damaged = wire(1).data.slice();
    damaged[7] = damaged[7]! ^ 0xff;
    assert.throws(() => checkChunk({ ...wire(1), data: damaged }, expect), refused('EH_BUNDLE_CHUNK', /does not match its sha256/));
    const long = new Uint8Array(CHUNK_BYTES + 1);
    assert.throws(() => checkChunk({ ...wire(0), data: long, sha256: sha256(long) }, expect), refused('EH_BUNDLE_CHUNK', /more than the/));
  });

  test('join refuses a truncated bundle (EH_BUNDLE_CHUNK) and a wrong whole hash (EH_BUNDLE_HASH)', () => {
    assert.throws(() => joinChunks(chunks.slice(0, 2).map((c) => c.data), { bytes: bytes.length, sha256Hex: sha256Hex(bytes) }), refused('EH_BUNDLE_CHUNK', /truncated/));
    const swapped = [chunks[1]!.data, chunks[0]!.data, chunks[2]!.data];
    assert.throws(() => joinChunks(swapped, { bytes: bytes.length, sha256Hex: sha256Hex(bytes) }), refused('EH_BUNDLE_HASH'));
  });
});
