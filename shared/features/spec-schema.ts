/**
 * The schema of `preprocess.json`, the preprocessing spec a bundle carries beside its model.
 *
 * Per-feature lists (`imputation`, `normalisation`, `fitted.stats`) are parallel to `features`:
 * entry i belongs to feature i. The imputation and normalisation entries hold the numbers the
 * transform applies (already guarded: a divisor is never 0); `fitted` is the record of where
 * they came from (the raw statistics of the training rows and how many rows there were). The
 * transform reads only `imputation`, `normalisation` and `window`, never `fitted`.
 */
import { Type, type Static } from '@sinclair/typebox';

export const PREPROCESS_SPEC_VERSION = 1;

/** Same syntax as feature names on the wire (shared/protocol/validate.ts). */
export const FeatureName = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });

/** Most features a spec may name; the wire protocol's Limits.maxFeatures. */
export const MAX_FEATURES = 256;
/** Bound on window length and stride, so the agent's window buffer stays small. */
export const MAX_WINDOW = 65_536;

// --- imputation: what a missing (NaN) reading becomes, before normalisation -----------------

export const ImputeMean = Type.Object({
  method: Type.Literal('mean'),
  /** The fitted mean of the feature's observed training values. */
  value: Type.Number(),
}, { additionalProperties: false });

export const ImputeMedian = Type.Object({
  method: Type.Literal('median'),
  value: Type.Number(),
}, { additionalProperties: false });

export const ImputeConstant = Type.Object({
  method: Type.Literal('constant'),
  value: Type.Number(),
}, { additionalProperties: false });

export const ImputeLast = Type.Object({
  method: Type.Literal('last'),
  /** Used until the stream has observed a value for this feature. */
  fallback: Type.Number(),
}, { additionalProperties: false });

export const ImputationSchema = Type.Union([ImputeMean, ImputeMedian, ImputeConstant, ImputeLast]);
export type Imputation = Static<typeof ImputationSchema>;
export type ImputationMethod = Imputation['method'];

// --- normalisation: applied to the (observed or imputed) raw value ------------------------------

export const NormaliseZscore = Type.Object({
  method: Type.Literal('zscore'),
  mean: Type.Number(),
  /** Divisor actually used: the fitted std, or 1 where that was 0 (see fit.ts). */
  std: Type.Number({ exclusiveMinimum: 0 }),
}, { additionalProperties: false });

export const NormaliseRobust = Type.Object({
  method: Type.Literal('robust'),
  median: Type.Number(),
  /** Divisor actually used: the fitted IQR (q3 - q1); where that was 0, the std, or 1 (see fit.ts). */
  iqr: Type.Number({ exclusiveMinimum: 0 }),
}, { additionalProperties: false });

export const NormaliseNone = Type.Object({
  method: Type.Literal('none'),
}, { additionalProperties: false });

export const NormalisationSchema = Type.Union([NormaliseZscore, NormaliseRobust, NormaliseNone]);
export type Normalisation = Static<typeof NormalisationSchema>;
export type NormalisationMethod = Normalisation['method'];

// --- window -----------------------------------------------------------------------------------

export const WindowSchema = Type.Object({
  /** Readings per window (the model's time axis). */
  length: Type.Integer({ minimum: 1, maximum: MAX_WINDOW }),
  /** Readings between the starts of consecutive windows. */
  stride: Type.Integer({ minimum: 1, maximum: MAX_WINDOW }),
}, { additionalProperties: false });
export type WindowSpec = Static<typeof WindowSchema>;

// --- fitted statistics ------------------------------------------------------------------------

/**
 * Raw statistics of one feature over the training rows, ignoring missing values. Population std
 * (divide by n); quantiles by linear interpolation between order statistics (position p·(n−1),
 * numpy's default). With `count` 0 every statistic is 0.
 */
export const FeatureStatsSchema = Type.Object({
  count: Type.Integer({ minimum: 0, description: 'observed (finite) values' }),
  missing: Type.Integer({ minimum: 0, description: 'missing (NaN or infinite) values' }),
  mean: Type.Number(),
  std: Type.Number({ minimum: 0 }),
  min: Type.Number(),
  max: Type.Number(),
  q1: Type.Number(),
  median: Type.Number(),
  q3: Type.Number(),
  iqr: Type.Number({ minimum: 0 }),
}, { additionalProperties: false });
export type FeatureStats = Static<typeof FeatureStatsSchema>;

export const FittedSchema = Type.Object({
  /** Training rows the statistics came from; every stats entry has count + missing = rows. */
  rows: Type.Integer({ minimum: 0 }),
  stats: Type.Array(FeatureStatsSchema, { minItems: 1, maxItems: MAX_FEATURES }),
}, { additionalProperties: false });
export type Fitted = Static<typeof FittedSchema>;

// --- the spec -------------------------------------------------------------------------------

export const PreprocessSpecSchema = Type.Object({
  version: Type.Literal(PREPROCESS_SPEC_VERSION),
  /** Feature order: column i of every row, and the last axis of the model's input. */
  features: Type.Array(FeatureName, { minItems: 1, maxItems: MAX_FEATURES }),
  imputation: Type.Array(ImputationSchema, { minItems: 1, maxItems: MAX_FEATURES }),
  normalisation: Type.Array(NormalisationSchema, { minItems: 1, maxItems: MAX_FEATURES }),
  window: WindowSchema,
  fitted: FittedSchema,
}, { additionalProperties: false });
export type PreprocessSpec = Static<typeof PreprocessSpecSchema>;
