/**
 * Reference statistics of a model's training data (schema.ts): what the hub ships in a bundle's
 * `reference-stats` artefact and the agent's drift monitor compares live readings with.
 */
import { EdgehiveError } from '../errors/index.ts';
import { checkHistogram, quantileHistogram } from './histogram.ts';
import { REFERENCE_STATS_FORMAT, type FeatureReference, type ReferenceStats } from './schema.ts';

export interface ReferenceStatsOptions {
  /** Quantile bins per feature (default 10; fewer where ties merge edges). */
  bins?: number;
  /** The training range is widened by this share of its width on each side before values count as out of range (default 0.05). */
  margin?: number;
  /** createdMs of the result. Pass it for reproducible output; default Date.now(). */
  nowMs?: number;
}

export const DEFAULT_BINS = 10;
export const DEFAULT_MARGIN = 0.05;

/**
 * Per-feature quantile histograms, missing rates and widened ranges of training `rows` (each in
 * `features` order; NaN, or any non-finite value, is missing), and the histogram of the model's
 * raw `outputScores` on the training windows (null: not computed).
 *
 * Range: [min − margin·w, max + margin·w] with w = max − min, so a value a little past the
 * training extremes is not flagged. A constant feature (w = 0) is widened by margin·max(|min|, 1)
 * instead: any real change is out of range, float noise is not. A feature with no value at all
 * gets ±Number.MAX_VALUE (nothing is known, so nothing is flagged; JSON cannot carry ±Infinity).
 */
export function referenceStats(rows: ArrayLike<number>[], features: string[], outputScores: ArrayLike<number> | null, opts: ReferenceStatsOptions = {}): ReferenceStats {
  const bins = opts.bins ?? DEFAULT_BINS;
  const margin = opts.margin ?? DEFAULT_MARGIN;
  if (features.length === 0) throw new EdgehiveError('EH_BAD_REQUEST', 'reference statistics need at least one feature');
  if (!(margin >= 0) || !Number.isFinite(margin)) throw new EdgehiveError('EH_BAD_REQUEST', `margin must be a finite share ≥ 0, not ${margin}`);
  rows.forEach((r, i) => {
    if (r.length !== features.length) throw new EdgehiveError('EH_BAD_REQUEST', `row ${i} has ${r.length} values but there are ${features.length} features`);
  });
  const column = new Float64Array(rows.length);
  const out: FeatureReference[] = features.map((name, j) => {
    let missing = 0;
    for (let i = 0; i < rows.length; i++) {
      const v = (rows[i] as ArrayLike<number>)[j] as number;
      column[i] = v;
      if (!Number.isFinite(v)) missing++;
    }
    const h = quantileHistogram(column, bins);
    const [min, max] = h.samples === 0 ? [-Number.MAX_VALUE, Number.MAX_VALUE] : widen(h.min, h.max, margin);
    return { name, histogram: h.histogram, missingRate: rows.length === 0 ? 0 : missing / rows.length, min, max, samples: h.samples };
  });
  let output: ReferenceStats['output'] = null;
  if (outputScores !== null) {
    const h = quantileHistogram(outputScores, bins);
    output = { histogram: h.histogram, samples: h.samples };
  }
  return { format: REFERENCE_STATS_FORMAT, features: out, output, createdMs: opts.nowMs ?? Date.now() };
}

function widen(min: number, max: number, margin: number): [number, number] {
  const w = max - min;
  const pad = margin * (w > 0 ? w : Math.max(Math.abs(min), 1));
  return [min - pad, max + pad];
}

/**
 * What the schema cannot check in reference statistics: each histogram's shape (histogram.ts
 * checkHistogram), min ≤ max, unique feature names. `code` is the refusal the caller reports
 * (the agent: EH_BUNDLE_MALFORMED for a bundle's artefact).
 */
export function checkReference(ref: ReferenceStats, what: string, code: 'EH_BAD_REQUEST' | 'EH_BUNDLE_MALFORMED' | 'EH_CONFIG_INVALID' = 'EH_BAD_REQUEST'): void {
  const seen = new Set<string>();
  for (const f of ref.features) {
    if (seen.has(f.name)) throw new EdgehiveError(code, `${what}: feature ${f.name} appears twice`);
    seen.add(f.name);
    checkHistogram(f.histogram, `${what}: feature ${f.name}`, code);
    if (!(f.min <= f.max)) throw new EdgehiveError(code, `${what}: feature ${f.name} has min ${f.min} above max ${f.max}`);
  }
  if (ref.output !== null) checkHistogram(ref.output.histogram, `${what}: output`, code);
}
