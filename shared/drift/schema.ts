/**
 * Reference statistics of a model's training data, computed by the hub at training time and
 * shipped in the bundle (artefact kind `reference-stats`, file `reference-stats.json`), and the
 * agent's drift settings. DESIGN.md "Drift and continuous training".
 *
 * Histograms use quantile bin edges of the training data, so every reference bin holds about the
 * same share and PSI is not dominated by a few sparse bins.
 */
import { Type, type Static } from '@sinclair/typebox';

export const REFERENCE_STATS_FORMAT = 1;
export const REFERENCE_STATS_FILE = 'reference-stats.json';

export const HistogramSchema = Type.Object({
  /**
   * Interior bin edges, strictly increasing: k edges make k + 1 bins, (-inf, e0), [e0, e1), …,
   * [e(k-1), +inf). Quantiles of the training values, duplicates removed.
   */
  edges: Type.Array(Type.Number(), { maxItems: 255 }),
  /** Share of the (non-missing) training values in each bin; edges.length + 1 entries summing to 1. */
  proportions: Type.Array(Type.Number({ minimum: 0, maximum: 1 }), { minItems: 1, maxItems: 256 }),
}, { additionalProperties: false });
export type Histogram = Static<typeof HistogramSchema>;

export const FeatureReferenceSchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 64 }),
  histogram: HistogramSchema,
  /** Share of training readings where the feature was missing. */
  missingRate: Type.Number({ minimum: 0, maximum: 1 }),
  /** Values outside [min, max] count as out of range (the training range, widened by a margin). */
  min: Type.Number(),
  max: Type.Number(),
  /** Non-missing training values the histogram was built from. */
  samples: Type.Integer({ minimum: 0 }),
}, { additionalProperties: false });
export type FeatureReference = Static<typeof FeatureReferenceSchema>;

export const ReferenceStatsSchema = Type.Object({
  format: Type.Literal(REFERENCE_STATS_FORMAT),
  /** In the model's feature order (the preprocessing spec's). */
  features: Type.Array(FeatureReferenceSchema, { minItems: 1, maxItems: 256 }),
  /** The model's raw output score on the training windows (reconstruction error, residual, confidence); null when not computed. */
  output: Type.Union([Type.Object({ histogram: HistogramSchema, samples: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }), Type.Null()]),
  createdMs: Type.Integer({ minimum: 0 }),
}, { additionalProperties: false });
export type ReferenceStats = Static<typeof ReferenceStatsSchema>;

/** Thresholds an agent alarms on, and how it reports. Defaults are the usual PSI reading: < 0.1 stable, 0.1-0.25 moderate, > 0.25 significant. */
export const DriftSettingsSchema = Type.Object({
  /** node-cron expression for scheduled reports (default: every 15 minutes). */
  schedule: Type.String({ minLength: 9, default: '*/15 * * * *' }),
  psiAlarm: Type.Number({ exclusiveMinimum: 0, default: 0.25 }),
  ksAlarm: Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 0.2 }),
  outputJsAlarm: Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 0.2 }),
  /**
   * What live windows are compared with. 'device' (default): the agent learns its own histograms
   * from its first `baselineReadings` readings after a model activates (the bundle's reference is
   * pooled over a fleet whose devices each run at their own levels, so against it every healthy
   * device drifts); the bundle's ranges and missing rates still judge data quality. 'bundle': the
   * bundle's reference statistics as they are (a fleet of identical devices).
   */
  baseline: Type.Union([Type.Literal('device'), Type.Literal('bundle')], { default: 'device' }),
  /**
   * Readings the device baseline is learned from: one day at one reading a minute, so the
   * baseline holds a whole daily load cycle. Raise it with the reading rate.
   */
  baselineReadings: Type.Integer({ minimum: 100, maximum: 10_000_000, default: 1440 }),
  /**
   * No drift alarm before a feature has this many readings in the current window (sample-size
   * aware); the reporter also keeps a window open until it has this many, so it is the judged
   * window's length. Default one day at one reading a minute, like baselineReadings: a window
   * shorter than the daily cycle is a slice of it and differs from any whole-day baseline.
   */
  minSamples: Type.Integer({ minimum: 1, default: 1440 }),
  /**
   * Scores of the model's output the current window needs before its output JS is judged. Not
   * minSamples: a model with window stride s scores one reading in s (pump-anomaly: 180 of a
   * day's 1440), so counting scores against minSamples never judged it.
   */
  minScores: Type.Integer({ minimum: 1, default: 100 }),
  /**
   * The monitor takes at most one reading (and one model score) per this many ms of reading
   * time; the rest are skipped. Windows and baselines are counted in readings (1440 = one day at
   * one a minute), so a device reading every second would otherwise compare 24-minute slices of
   * its daily cycle with each other and alarm on every healthy day. 0 takes every reading.
   */
  sampleEveryMs: Type.Integer({ minimum: 0, default: 60_000 }),
  /** A feature whose value has not changed for this many (sampled) readings is reported stuck. */
  stuckAfter: Type.Integer({ minimum: 2, default: 120 }),
  missingRateAlarm: Type.Number({ minimum: 0, maximum: 1, default: 0.2 }),
  outOfRangeRateAlarm: Type.Number({ minimum: 0, maximum: 1, default: 0.05 }),
}, { additionalProperties: false, default: {} });
export type DriftSettings = Static<typeof DriftSettingsSchema>;
