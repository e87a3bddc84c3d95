/**
 * One JSON line → one reading. Two shapes (see edge-agent/README.md "jsonl sensors"):
 *   {"ts": 1732300000000, "values": {"temp": 21.5, "rh": null}}   by feature name
 *   {"ts": "2026-11-22T20:00:00Z", "v": [21.5, null]}            in feature order
 * `ts` is epoch milliseconds or an ISO-8601 string; without it the reading is stamped with the
 * agent's clock on arrival. null, or a feature left out, is a missing value.
 */
import type { SensorReading } from '../types.ts';

export type ParseResult = { ok: true; reading: SensorReading } | { ok: false; reason: string };

function parseTs(ts: unknown, now: () => number): number | string {
  if (ts === undefined) return now();
  if (typeof ts === 'number') return Number.isFinite(ts) ? ts : 'ts is not a finite number';
  if (typeof ts === 'string') {
    const ms = Date.parse(ts);
    return Number.isNaN(ms) ? `ts ${JSON.stringify(ts.slice(0, 40))} is not an ISO-8601 time` : ms;
  }
  return 'ts must be epoch milliseconds or an ISO-8601 string';
}

function value(v: unknown): number | null {
  if (v === null) return NaN;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  return null;
}

export function parseReadingLine(line: string, features: readonly string[], index: ReadonlyMap<string, number>, now: () => number): ParseResult {
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return { ok: false, reason: 'not a JSON object' };
  const o = doc as Record<string, unknown>;
  const ts = parseTs(o.ts, now);
  if (typeof ts === 'string') return { ok: false, reason: ts };
  const values = new Array<number>(features.length).fill(NaN);
  if (Array.isArray(o.v)) {
    if (o.v.length !== features.length) return { ok: false, reason: `v has ${o.v.length} values for ${features.length} features` };
    for (let i = 0; i < o.v.length; i++) {
      const x = value(o.v[i]);
      if (x === null) return { ok: false, reason: `v[${i}] is not a number or null` };
      values[i] = x;
    }
  } else if (o.values !== null && typeof o.values === 'object' && !Array.isArray(o.values)) {
    for (const [name, raw] of Object.entries(o.values as Record<string, unknown>)) {
      const i = index.get(name);
      if (i === undefined) return { ok: false, reason: `unknown feature ${JSON.stringify(name.slice(0, 40))}` };
      const x = value(raw);
      if (x === null) return { ok: false, reason: `values.${name} is not a number or null` };
      values[i] = x;
    }
  } else return { ok: false, reason: 'needs "values" (object) or "v" (array)' };
  return { ok: true, reading: { tsMs: ts, values } };
}
