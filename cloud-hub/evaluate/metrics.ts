/**
 * Evaluation metrics, pure (no I/O, no clock): detection precision/recall/F1 at a threshold and
 * the best-F1 threshold, ROC AUC, accuracy, macro-F1 and the confusion matrix, MAE/RMSE,
 * correlations, and the default anomaly threshold a model version stores for the agent.
 *
 * Conventions: a detection is `score > threshold` (shared/inference isAnomaly, the agent's rule);
 * a label is positive (anomalous) when it is non-zero / true. Where a ratio has a zero
 * denominator (no predicted positives, no actual positives) it is 0, as scikit-learn's default
 * `zero_division` behaves, except ROC AUC, which is NaN: with one class present there is nothing
 * to rank, and a made-up 0.5 would pass or fail a gate for no reason.
 */
import { EdgehiveError } from '../../shared/errors/index.ts';
import { isAnomaly } from '../../shared/inference/scores.ts';

type Values = ArrayLike<number>;
export type Labels = ArrayLike<number | boolean>;

function requireSameLength(what: string, a: ArrayLike<unknown>, b: ArrayLike<unknown>): void {
  if (a.length !== b.length) throw new EdgehiveError('EH_BAD_REQUEST', `${what}: ${a.length} scores but ${b.length} labels; pass one label per window`);
}

function requireSome(what: string, n: number): void {
  if (n === 0) throw new EdgehiveError('EH_DATA_INSUFFICIENT', `${what} of no samples; the test split is empty — use more data or a larger test share`);
}

const positive = (l: number | boolean): boolean => (typeof l === 'boolean' ? l : l !== 0);

export interface Detection {
  readonly threshold: number;
  readonly tp: number; readonly fp: number; readonly tn: number; readonly fn: number;
  readonly precision: number; readonly recall: number; readonly f1: number;
}

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

function detection(threshold: number, tp: number, fp: number, tn: number, fn: number): Detection {
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  return { threshold, tp, fp, tn, fn, precision, recall, f1: ratio(2 * tp, 2 * tp + fp + fn) };
}

/** Precision, recall and F1 of the detections `score > threshold` against the labels. */
export function detectionAt(scores: Values, labels: Labels, threshold: number): Detection {
  requireSameLength('detection metrics', scores, labels);
  let tp = 0; let fp = 0; let tn = 0; let fn = 0;
  for (let i = 0; i < scores.length; i++) {
    const flagged = isAnomaly(scores[i] as number, threshold);
    const pos = positive(labels[i] as number | boolean);
    if (flagged) { if (pos) tp++; else fp++; } else if (pos) fn++; else tn++;
  }
  return detection(threshold, tp, fp, tn, fn);
}

/** The largest double below x: a threshold that flags every score equal to x. */
function nextDown(x: number): number {
  if (x === -Infinity || Number.isNaN(x)) return x;
  if (x === 0) return -Number.MIN_VALUE;
  const buf = new Float64Array([x]);
  const bits = new BigInt64Array(buf.buffer);
  bits[0] = (bits[0] as bigint) + (x > 0 ? -1n : 1n);
  return buf[0] as number;
}

/**
 * The threshold with the highest F1 over all distinct cut points, in O(n log n). Candidate
 * thresholds are the distinct score values (flagging the scores above) and one just below the
 * lowest score (flagging all). On equal F1 the higher threshold wins (fewer alarms). An optimistic
 * figure when chosen on the split it is reported on: say so where it is shown. NaN scores are
 * never flagged.
 */
export function bestF1Threshold(scores: Values, labels: Labels): Detection {
  requireSameLength('best-F1 threshold', scores, labels);
  requireSome('best-F1 threshold', scores.length);
  const idx = Array.from({ length: scores.length }, (_, i) => i).filter((i) => !Number.isNaN(scores[i] as number));
  idx.sort((a, b) => (scores[b] as number) - (scores[a] as number));
  let totalPos = 0;
  for (let i = 0; i < labels.length; i++) if (positive(labels[i] as number | boolean)) totalPos++;
  const total = labels.length;
  // Nothing flagged: threshold at the top score (or +Infinity with no finite scores).
  let best = detection(idx.length ? scores[idx[0] as number] as number : Infinity, 0, 0, total - totalPos, totalPos);
  let tp = 0; let fp = 0;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k] as number;
    if (positive(labels[i] as number | boolean)) tp++; else fp++;
    const s = scores[i] as number;
    const next = idx[k + 1];
    if (next !== undefined && scores[next] === s) continue; // a cut point lies between distinct values only
    const threshold = next === undefined ? nextDown(s) : scores[next] as number;
    const d = detection(threshold, tp, fp, total - totalPos - fp, totalPos - tp);
    if (d.f1 > best.f1) best = d;
  }
  return best;
}

/** Average ranks (1-based) with ties sharing the mean of the ranks they span. */
export function averageRanks(values: Values): Float64Array {
  const idx = Array.from({ length: values.length }, (_, i) => i);
  idx.sort((a, b) => (values[a] as number) - (values[b] as number));
  const ranks = new Float64Array(values.length);
  for (let start = 0; start < idx.length;) {
    let end = start + 1;
    while (end < idx.length && values[idx[end] as number] === values[idx[start] as number]) end++;
    const rank = (start + 1 + end) / 2; // mean of ranks start+1 … end
    for (let k = start; k < end; k++) ranks[idx[k] as number] = rank;
    start = end;
  }
  return ranks;
}

/**
 * ROC AUC of the scores for the labels (higher score = more anomalous), by the Mann–Whitney U
 * statistic over average ranks, so tied scores count one half. NaN when only one class is
 * present in the labels (AUC is undefined there) — callers store it as null and skip AUC gates.
 */
export function rocAuc(scores: Values, labels: Labels): number {
  requireSameLength('ROC AUC', scores, labels);
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i] as number)) throw new EdgehiveError('EH_BAD_REQUEST', `ROC AUC: score ${i} is NaN; scores must be numbers`);
  }
  const ranks = averageRanks(scores);
  let nPos = 0; let rankSum = 0;
  for (let i = 0; i < labels.length; i++) {
    if (positive(labels[i] as number | boolean)) { nPos++; rankSum += ranks[i] as number; }
  }
  const nNeg = labels.length - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

function requireClass(what: string, v: number, classes: number): void {
  if (!Number.isInteger(v) || v < 0 || v >= classes) {
    throw new EdgehiveError('EH_BAD_REQUEST', `${what}: class ${v} is not an integer in [0, ${classes - 1}]; labels are 0-based class indices`);
  }
}

/** Confusion matrix [actual][predicted] over `classes` classes. */
export function confusionMatrix(actual: Values, predicted: Values, classes: number): number[][] {
  requireSameLength('confusion matrix', predicted, actual);
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] as number; const p = predicted[i] as number;
    requireClass('confusion matrix (actual)', a, classes);
    requireClass('confusion matrix (predicted)', p, classes);
    (m[a] as number[])[p]! += 1;
  }
  return m;
}

/** Share of samples whose predicted class is the actual one. */
export function accuracy(actual: Values, predicted: Values): number {
  requireSameLength('accuracy', predicted, actual);
  requireSome('accuracy', actual.length);
  let ok = 0;
  for (let i = 0; i < actual.length; i++) if (actual[i] === predicted[i]) ok++;
  return ok / actual.length;
}

/**
 * Unweighted mean of the per-class F1 over the classes that occur in the actual or the predicted
 * labels (as scikit-learn does when `labels` is not given): a class absent from both says
 * nothing about the model and would drag the mean to 0.
 */
export function macroF1(matrix: readonly (readonly number[])[]): number {
  let sum = 0; let counted = 0;
  for (let k = 0; k < matrix.length; k++) {
    const tp = matrix[k]?.[k] ?? 0;
    let actualK = 0; let predictedK = 0;
    for (let j = 0; j < matrix.length; j++) { actualK += matrix[k]?.[j] ?? 0; predictedK += matrix[j]?.[k] ?? 0; }
    if (actualK === 0 && predictedK === 0) continue;
    sum += ratio(2 * tp, actualK + predictedK);
    counted++;
  }
  return counted === 0 ? 0 : sum / counted;
}

/** Mean absolute error. */
export function mae(predicted: Values, actual: Values): number {
  requireSameLength('MAE', predicted, actual);
  requireSome('MAE', actual.length);
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += Math.abs((predicted[i] as number) - (actual[i] as number));
  return s / actual.length;
}

/** Root mean squared error. */
export function rmse(predicted: Values, actual: Values): number {
  requireSameLength('RMSE', predicted, actual);
  requireSome('RMSE', actual.length);
  let s = 0;
  for (let i = 0; i < actual.length; i++) { const d = (predicted[i] as number) - (actual[i] as number); s += d * d; }
  return Math.sqrt(s / actual.length);
}

/** Pearson correlation; NaN when either series is constant (no variance to correlate). */
export function pearson(a: Values, b: Values): number {
  requireSameLength('correlation', a, b);
  requireSome('correlation', a.length);
  let ma = 0; let mb = 0;
  for (let i = 0; i < a.length; i++) { ma += a[i] as number; mb += b[i] as number; }
  ma /= a.length; mb /= a.length;
  let sab = 0; let saa = 0; let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    const da = (a[i] as number) - ma; const db = (b[i] as number) - mb;
    sab += da * db; saa += da * da; sbb += db * db;
  }
  return saa === 0 || sbb === 0 ? NaN : sab / Math.sqrt(saa * sbb);
}

/** Spearman rank correlation (Pearson of average ranks); NaN when either series is constant. */
export function spearman(a: Values, b: Values): number {
  return pearson(averageRanks(a), averageRanks(b));
}

/** The q-quantile (0 ≤ q ≤ 1) with linear interpolation between order statistics (numpy's default). */
export function quantile(values: Values, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new EdgehiveError('EH_BAD_REQUEST', `quantile must be in [0, 1], got ${q}`);
  const sorted = Float64Array.from(values).filter((v) => !Number.isNaN(v)).sort();
  requireSome('quantile', sorted.length);
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return (sorted[lo] as number) + (pos - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

export interface AnomalyThreshold {
  readonly threshold: number;
  readonly rule: 'quantile';
  readonly quantile: number;
  /** Scores it was computed from (validation windows, else training windows). */
  readonly windows: number;
}

/** Default share of clean windows expected above the threshold: 1 in 100. */
export const DEFAULT_THRESHOLD_QUANTILE = 0.99;

/**
 * The starting threshold a model version stores for the agent when no labels exist: a high
 * quantile of the scores of windows the model has not trained on (the validation split; the
 * training split only when there is no validation split, which underestimates). The agent's
 * online normaliser adapts from there. The validation data is assumed mostly normal, so about
 * 1 − q of normal windows will be flagged.
 */
export function defaultAnomalyThreshold(scores: Values, q = DEFAULT_THRESHOLD_QUANTILE): AnomalyThreshold {
  if (scores.length < 2) {
    throw new EdgehiveError('EH_DATA_INSUFFICIENT', `anomaly threshold from ${scores.length} window score(s); at least 2 are needed — use a longer validation split`);
  }
  return { threshold: quantile(scores, q), rule: 'quantile', quantile: q, windows: scores.length };
}
