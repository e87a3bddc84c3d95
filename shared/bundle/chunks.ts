/**
 * Splitting a bundle into chunks for MQTT (bundles/{id}/{n}) and putting it back together.
 * Every chunk carries its own sha256, so a damaged chunk is refused and fetched again on its own
 * instead of failing the whole bundle at the end.
 */
import { EdgehiveError } from '../errors/index.ts';
import { Limits } from '../protocol/limits.ts';
import { sha256, sha256Hex } from './hash.ts';

/** 256 KiB: one chunk plus its protobuf header fits Limits.maxPayloadBytes. */
export const CHUNK_BYTES = Limits.maxChunkBytes;

export interface Chunk { index: number; total: number; data: Uint8Array; sha256: Uint8Array }

function chunkError(message: string, details?: Record<string, unknown>): never {
  throw new EdgehiveError('EH_BUNDLE_CHUNK', message, details);
}

function checkChunkBytes(chunkBytes: number): void {
  if (!Number.isInteger(chunkBytes) || chunkBytes < 1 || chunkBytes > Limits.maxChunkBytes) {
    chunkError(`chunk size must be an integer between 1 and ${Limits.maxChunkBytes} bytes, got ${chunkBytes}`);
  }
}

export function splitBundle(bytes: Uint8Array, chunkBytes: number = CHUNK_BYTES): Chunk[] {
  checkChunkBytes(chunkBytes);
  const total = Math.ceil(bytes.length / chunkBytes);
  if (total > Limits.maxChunks) chunkError(`bundle of ${bytes.length} bytes needs ${total} chunks, more than the ${Limits.maxChunks} allowed; too many chunks`);
  const out: Chunk[] = [];
  for (let index = 0; index < total; index++) {
    const data = bytes.subarray(index * chunkBytes, Math.min(bytes.length, (index + 1) * chunkBytes));
    out.push({ index, total, data, sha256: sha256(data) });
  }
  return out;
}

const equalBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** Checks one received chunk against what the desired state announced. Throws EH_BUNDLE_CHUNK. */
export function checkChunk(
  c: { bundleId: string; index: number; total: number; data: Uint8Array; sha256: Uint8Array },
  expect: { bundleId: string; total: number; bytes: number; chunkBytes?: number },
): void {
  const chunkBytes = expect.chunkBytes ?? CHUNK_BYTES;
  checkChunkBytes(chunkBytes);
  const where = `chunk ${c.index} of bundle ${c.bundleId.slice(0, 12)}`;
  if (c.bundleId !== expect.bundleId) chunkError(`${where} belongs to another bundle than ${expect.bundleId.slice(0, 12)}; it was published under the wrong topic`);
  const most = Math.ceil(expect.bytes / chunkBytes);
  if (expect.total > most || expect.total > Limits.maxChunks || c.total > Limits.maxChunks) {
    chunkError(`too many chunks: ${Math.max(expect.total, c.total)} announced for ${expect.bytes} bytes in ${chunkBytes}-byte chunks (at most ${Math.min(most, Limits.maxChunks)})`, { total: expect.total, most });
  }
  if (c.total !== expect.total) chunkError(`${where} says the bundle has ${c.total} chunks but the desired state says ${expect.total}`);
  if (!Number.isInteger(c.index) || c.index < 0 || c.index >= c.total) chunkError(`${where}: index out of range 0..${c.total - 1}`);
  if (c.data.length > chunkBytes) chunkError(`${where} carries ${c.data.length} bytes, more than the ${chunkBytes}-byte chunk size`);
  if (!equalBytes(sha256(c.data), c.sha256)) chunkError(`${where}: its data does not match its sha256; it is damaged, fetch it again`);
}

/** Joins chunk data in order and checks length and the whole bundle's sha256. */
export function joinChunks(chunks: readonly Uint8Array[], expect: { bytes: number; sha256Hex: string }): Uint8Array {
  const got = chunks.reduce((n, c) => n + c.length, 0);
  if (got !== expect.bytes) chunkError(`bundle is truncated or overlong: chunks hold ${got} bytes but the desired state says ${expect.bytes}`, { got, expected: expect.bytes });
  const out = new Uint8Array(got);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  const hash = sha256Hex(out);
  if (hash !== expect.sha256Hex.toLowerCase()) {
    throw new EdgehiveError('EH_BUNDLE_HASH', `joined bundle has sha256 ${hash.slice(0, 12)}… but the desired state says ${expect.sha256Hex.slice(0, 12)}…; fetch it again`, { got: hash, expected: expect.sha256Hex });
  }
  return out;
}
