/**
 * A decoded TelemetryBatch as store rows: one Float64Array for the whole batch, each reading a
 * view of it, NaN at the `missing` indexes. No per-reading allocation beyond the view.
 */
import type { TelemetryBatch } from '../../shared/protocol/messages.ts';
import type { TelemetryWrite } from '../store/types.ts';

const NONE: readonly number[] = [];

export function toTelemetryWrite(device: string, m: TelemetryBatch, receivedAtMs: number): TelemetryWrite {
  const width = m.features.length;
  const n = m.readings.length;
  const all = new Float64Array(n * width);
  const readings = new Array<{ tsMs: number; values: Float64Array }>(n);
  for (let r = 0; r < n; r++) {
    const reading = m.readings[r]!;
    const o = r * width;
    const vals = reading.values ?? NONE;
    for (let i = 0; i < width; i++) all[o + i] = vals[i]!;
    const missing = reading.missing ?? NONE;
    for (let j = 0; j < missing.length; j++) all[o + missing[j]!] = Number.NaN;
    readings[r] = { tsMs: reading.tsMs ?? 0, values: all.subarray(o, o + width) };
  }
  return {
    device,
    stream: m.stream,
    firstSeq: m.firstSeq,
    features: m.features,
    readings,
    droppedTotal: m.droppedTotal,
    backlog: m.backlog,
    receivedAtMs,
  };
}
