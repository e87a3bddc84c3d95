/**
 * Turning model outputs into scores and classes. The hub's evaluation and the agent's runtime
 * both call these, so a threshold chosen on the hub means the same thing on the device: same
 * formula, same summation order, float64 accumulation over float32 tensors.
 *
 * Batches are row-major Float32Arrays, one sample after another. Pure: no I/O, no clock.
 * Non-finite values propagate (a NaN in a window gives a NaN score); the preprocessing spec
 * imputes missing readings before a window reaches a model, so a NaN here is a bug upstream.
 */
import { EdgehiveError } from '../errors/index.ts';

type Values = ArrayLike<number>;

function mse(a: Values, b: Values, aOffset: number, bOffset: number, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const d = (a[aOffset + i] as number) - (b[bOffset + i] as number);
    sum += d * d;
  }
  return sum / n;
}

function requireSameLength(what: string, a: Values, b: Values): void {
  if (a.length !== b.length) {
    throw new EdgehiveError('EH_INFERENCE_FAILED', `${what}: the model gave ${b.length} values for ${a.length} expected; check the model's output shape against the recipe`);
  }
}

function requireRows(what: string, length: number, perRow: number): number {
  if (!Number.isInteger(perRow) || perRow < 1) {
    throw new EdgehiveError('EH_BAD_REQUEST', `${what}: values per sample must be a positive integer, got ${perRow}`);
  }
  if (length % perRow !== 0) {
    throw new EdgehiveError('EH_INFERENCE_FAILED', `${what}: ${length} values are not a whole number of samples of ${perRow}; check the tensor shapes`);
  }
  return length / perRow;
}

/**
 * Anomaly score of one window: the mean squared error between the window fed to the model and
 * its reconstruction, over all [length, features] values. 0 = perfect reconstruction.
 */
export function reconstructionScore(input: Values, output: Values): number {
  requireSameLength('reconstruction score', input, output);
  if (input.length === 0) throw new EdgehiveError('EH_BAD_REQUEST', 'reconstruction score of an empty window');
  return mse(input, output, 0, 0, input.length);
}

/** Reconstruction scores of a batch: `windowSize` = length × features values per window. */
export function reconstructionScores(inputs: Float32Array, outputs: Float32Array, windowSize: number): Float64Array {
  requireSameLength('reconstruction scores', inputs, outputs);
  const n = requireRows('reconstruction scores', inputs.length, windowSize);
  const scores = new Float64Array(n);
  for (let r = 0; r < n; r++) scores[r] = mse(inputs, outputs, r * windowSize, r * windowSize, windowSize);
  return scores;
}

/**
 * Forecast residual score of one window: the mean squared error between the forecast
 * (horizon × targets values) and the readings that then arrived, in the same normalised units.
 */
export function forecastResidualScore(forecast: Values, actual: Values): number {
  requireSameLength('forecast residual score', actual, forecast);
  if (actual.length === 0) throw new EdgehiveError('EH_BAD_REQUEST', 'forecast residual score of an empty forecast');
  return mse(forecast, actual, 0, 0, actual.length);
}

/** Forecast residual scores of a batch: `perSample` = horizon × targets values per window. */
export function forecastResidualScores(forecasts: Float32Array, actuals: Float32Array, perSample: number): Float64Array {
  requireSameLength('forecast residual scores', actuals, forecasts);
  const n = requireRows('forecast residual scores', actuals.length, perSample);
  const scores = new Float64Array(n);
  for (let r = 0; r < n; r++) scores[r] = mse(forecasts, actuals, r * perSample, r * perSample, perSample);
  return scores;
}

/**
 * A window is an anomaly when its score is strictly above the threshold. Strict, so that a
 * threshold taken as a quantile of clean scores flags at most the share above it, and a
 * constant score never flags itself.
 */
export function isAnomaly(score: number, threshold: number): boolean {
  return score > threshold;
}

/** Index of the largest value of one row (the first on ties, like numpy's argmax). */
export function argmax(row: Values, offset = 0, length = row.length - offset): number {
  if (length < 1) throw new EdgehiveError('EH_BAD_REQUEST', 'argmax of an empty row');
  let best = 0;
  let bestValue = row[offset] as number;
  for (let i = 1; i < length; i++) {
    const v = row[offset + i] as number;
    if (v > bestValue) { best = i; bestValue = v; }
  }
  return best;
}

/** Softmax of one row of logits, shifted by the max so large logits do not overflow. */
export function softmax(logits: Values): Float64Array {
  const out = new Float64Array(logits.length);
  if (logits.length === 0) return out;
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i] as number);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) { out[i] = Math.exp((logits[i] as number) - max); sum += out[i] as number; }
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / sum;
  return out;
}

export interface Classified {
  /** Predicted class index per sample. */
  readonly classes: Int32Array;
  /** The model's probability of that class per sample (its output; the classify head ends in softmax). */
  readonly confidence: Float32Array;
}

/** Class and confidence per sample of a batch of class probabilities [n, classes]. */
export function classifyBatch(probabilities: Float32Array, classes: number): Classified {
  const n = requireRows('classification', probabilities.length, classes);
  const out = new Int32Array(n);
  const conf = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    const k = argmax(probabilities, r * classes, classes);
    out[r] = k;
    conf[r] = probabilities[r * classes + k] as number;
  }
  return { classes: out, confidence: conf };
}
