/**
 * The compact form of a telemetry chunk in the outbox: a small header naming the features, then
 * one Float64 row per reading (timestamp, then the values; NaN marks a missing value).
 *
 *   u8 format (1) | u8 0 | u16 features | u32 readings | u32 json bytes | features JSON | pad to 8
 *   | f64 rows: readings × (1 + features), little-endian
 *
 * Chunks carry their own feature names, so a change of sensor config never relabels old data.
 */
import { EdgehiveError } from '../../shared/errors/index.ts';

const FORMAT = 1;
const HEADER = 12;
const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

export interface DecodedChunk {
  features: string[];
  readings: number;
  /** rows × (1 + features): ts, v0, v1, ... */
  data: Float64Array;
}

function checkHost(): void {
  if (!LITTLE_ENDIAN) throw new EdgehiveError('EH_STATE', 'the outbox chunk format needs a little-endian host');
}

/** Encodes `readings` rows of `data` (row-major, 1 + features columns). */
export function encodeChunk(features: readonly string[], featuresJson: Uint8Array, data: Float64Array, readings: number): Uint8Array {
  checkHost();
  const dataOffset = Math.ceil((HEADER + featuresJson.length) / 8) * 8;
  const width = 1 + features.length;
  const out = new Uint8Array(dataOffset + readings * width * 8);
  const view = new DataView(out.buffer);
  view.setUint8(0, FORMAT);
  view.setUint16(2, features.length, true);
  view.setUint32(4, readings, true);
  view.setUint32(8, featuresJson.length, true);
  out.set(featuresJson, HEADER);
  new Float64Array(out.buffer, dataOffset, readings * width).set(data.subarray(0, readings * width));
  return out;
}

const featureCache = new Map<string, string[]>();

export function decodeChunk(payload: Uint8Array): DecodedChunk {
  checkHost();
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  if (payload.byteLength < HEADER || view.getUint8(0) !== FORMAT) throw new EdgehiveError('EH_STORE_FAILED', 'outbox chunk has an unknown format');
  const nf = view.getUint16(2, true);
  const readings = view.getUint32(4, true);
  const jsonBytes = view.getUint32(8, true);
  const json = Buffer.from(payload.buffer, payload.byteOffset + HEADER, jsonBytes).toString('utf8');
  let features = featureCache.get(json);
  if (!features) {
    features = JSON.parse(json) as string[];
    if (featureCache.size > 1000) featureCache.clear();
    featureCache.set(json, features);
  }
  const dataOffset = Math.ceil((HEADER + jsonBytes) / 8) * 8;
  const count = readings * (1 + nf);
  if (features.length !== nf || payload.byteLength < dataOffset + count * 8) throw new EdgehiveError('EH_STORE_FAILED', 'outbox chunk is truncated or inconsistent');
  // A copy, aligned for Float64Array whatever offset SQLite's buffer has.
  const data = new Float64Array(count);
  new Uint8Array(data.buffer).set(payload.subarray(dataOffset, dataOffset + count * 8));
  return { features, readings, data };
}
