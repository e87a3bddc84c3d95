/**
 * Fitting a preprocessing spec on TRAINING rows only (the trainer passes its training split,
 * never validation or test rows, or the held-out metrics would see their own statistics).
 *
 * Zero-spread guard: a feature whose fitted std (zscore) or IQR (robust) is 0 — a constant
 * column, an all-missing column, or (for IQR) one where most values are equal — gets divisor 1
 * (robust: the std when that is not 0, then 1)
 * in its normalisation entry, so it becomes `x − centre` instead of a division by zero (its
 * training values all map to 0). The raw 0 stays in `fitted.stats` for anyone who wants to
 * warn about a useless feature. A feature with no observed value has centre 0 and imputation
 * value 0 (`fitted.stats[i].count` is 0).
 */
import { Type, type Static } from '@sinclair/typebox';
import { EdgehiveError } from '../errors/index.ts';
import { parseWithSchema } from '../config/validate.ts';
import { assertPreprocessSpec } from './io.ts';
import { featureStats } from './stats.ts';
import {
  FeatureName, MAX_FEATURES, PREPROCESS_SPEC_VERSION, WindowSchema,
  type FeatureStats, type Imputation, type Normalisation, type PreprocessSpec,
} from './spec-schema.ts';

const ImputationOptionSchema = Type.Union([
  Type.Object({ method: Type.Literal('mean') }, { additionalProperties: false }),
  Type.Object({ method: Type.Literal('median') }, { additionalProperties: false }),
  Type.Object({ method: Type.Literal('constant'), value: Type.Number() }, { additionalProperties: false }),
  /** `fallback` (raw units) is used until a value has been seen; default: the fitted mean. */
  Type.Object({ method: Type.Literal('last'), fallback: Type.Optional(Type.Number()) }, { additionalProperties: false }),
]);
export type ImputationOption = Static<typeof ImputationOptionSchema>;

const NormalisationOptionSchema = Type.Union([Type.Literal('zscore'), Type.Literal('robust'), Type.Literal('none')]);
export type NormalisationOption = Static<typeof NormalisationOptionSchema>;

const FitOptionsSchema = Type.Object({
  features: Type.Array(FeatureName, { minItems: 1, maxItems: MAX_FEATURES }),
  /** One method for every feature, or one per feature in feature order. */
  imputation: Type.Union([ImputationOptionSchema, Type.Array(ImputationOptionSchema)]),
  normalisation: Type.Union([NormalisationOptionSchema, Type.Array(NormalisationOptionSchema)]),
  window: WindowSchema,
}, { additionalProperties: false });

export interface FitOptions {
  readonly features: readonly string[];
  readonly imputation: ImputationOption | readonly ImputationOption[];
  readonly normalisation: NormalisationOption | readonly NormalisationOption[];
  readonly window: { readonly length: number; readonly stride: number };
}

/** The divisor used for a fitted spread: the spread itself, or 1 where it is 0 (see top). */
export function safeScale(spread: number): number {
  return spread > 0 && Number.isFinite(spread) ? spread : 1;
}

function perFeature<T>(option: T | readonly T[], nf: number, path: string): readonly T[] {
  if (!Array.isArray(option)) return new Array<T>(nf).fill(option as T);
  const list = option as readonly T[];
  if (list.length !== nf) throw new EdgehiveError('EH_CONFIG_INVALID', `preprocess fit options are invalid: ${path}: has ${list.length} entries for ${nf} features`);
  return list;
}

function imputationEntry(o: ImputationOption, s: FeatureStats): Imputation {
  switch (o.method) {
    case 'mean': return { method: 'mean', value: s.mean };
    case 'median': return { method: 'median', value: s.median };
    case 'constant': return { method: 'constant', value: o.value };
    case 'last': return { method: 'last', fallback: o.fallback ?? s.mean };
  }
}

function normalisationEntry(o: NormalisationOption, s: FeatureStats): Normalisation {
  switch (o) {
    case 'zscore': return { method: 'zscore', mean: s.mean, std: safeScale(s.std) };
    // Spiky series with many repeated values (counters, idle CPUs) have IQR 0 but real spread:
    // dividing by 1 would leave them in raw units (millions), so fall back to the std first.
    case 'robust': return { method: 'robust', median: s.median, iqr: s.iqr > 0 ? safeScale(s.iqr) : safeScale(s.std) };
    case 'none': return { method: 'none' };
  }
}

/**
 * Builds the spec from training rows (row i, column j = feature j; NaN = missing). Deterministic:
 * the same rows and options give the same spec, bit for bit. Throws EH_CONFIG_INVALID for bad
 * options and EH_BAD_REQUEST for no rows or a row of the wrong length.
 */
export function fitPreprocess(rows: readonly ArrayLike<number>[], options: FitOptions): PreprocessSpec {
  const opts = parseWithSchema(FitOptionsSchema, options, 'preprocess fit options');
  const nf = opts.features.length;
  if (new Set(opts.features).size !== nf) throw new EdgehiveError('EH_CONFIG_INVALID', 'preprocess fit options are invalid: /features: names must be unique');
  const imputation = perFeature(opts.imputation, nf, '/imputation');
  const normalisation = perFeature(opts.normalisation, nf, '/normalisation');
  if (rows.length === 0) throw new EdgehiveError('EH_BAD_REQUEST', 'cannot fit a preprocessing spec on no training rows');
  rows.forEach((row, r) => {
    if (row.length !== nf) throw new EdgehiveError('EH_BAD_REQUEST', `training row ${r} has ${row.length} values for ${nf} features`, { row: r });
  });

  const stats = opts.features.map((_, j) => featureStats(rows, j));
  const spec: PreprocessSpec = {
    version: PREPROCESS_SPEC_VERSION,
    features: [...opts.features],
    imputation: stats.map((s, j) => imputationEntry(imputation[j] as ImputationOption, s)),
    normalisation: stats.map((s, j) => normalisationEntry(normalisation[j] as NormalisationOption, s)),
    window: { length: opts.window.length, stride: opts.window.stride },
    fitted: { rows: rows.length, stats },
  };
  // Catches what the options cannot: statistics that overflowed a double (|values| near 1e154+).
  assertPreprocessSpec(spec, 'fitted preprocess spec');
  return spec;
}
