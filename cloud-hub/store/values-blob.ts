/**
 * A reading's values as stored: IEEE-754 doubles, little-endian, one per feature, NaN where the
 * value is missing. 16 features take 128 bytes; no JSON on the hot path.
 */
import { endianness } from 'node:os';

const LITTLE_ENDIAN = endianness() === 'LE';

/** Bytes for one reading. A Float64Array on a little-endian host is viewed, not copied. */
export function valuesToBlob(values: ArrayLike<number>): Buffer {
  if (LITTLE_ENDIAN && values instanceof Float64Array) return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  const out = Buffer.allocUnsafe(values.length * 8);
  for (let i = 0; i < values.length; i++) out.writeDoubleLE(values[i] ?? Number.NaN, i * 8);
  return out;
}

/** Values of one stored reading; null where missing (NaN). */
export function blobToValues(blob: Uint8Array): Array<number | null> {
  const buf = Buffer.isBuffer(blob) ? blob : Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const n = buf.length >>> 3;
  const out = new Array<number | null>(n);
  for (let i = 0; i < n; i++) {
    const v = buf.readDoubleLE(i * 8);
    out[i] = Number.isNaN(v) ? null : v;
  }
  return out;
}
