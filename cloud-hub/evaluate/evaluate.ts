/**
 * Evaluating one model variant (fp32 or int8) on the held-out test split with onnxruntime-node,
 * in batches, through the same OnnxSession and score functions the agent uses. The result holds
 * the task's metrics (JSON-safe, stored with the model version) and the per-window scores (kept
 * in memory only: the gate compares int8 scores with fp32 scores where no labels exist).
 */
import { EdgehiveError } from '../../shared/errors/index.ts';
import {
  OnnxSession, classifyBatch, forecastResidualScores, reconstructionScores, type OnnxSessionOptions,
} from '../../shared/inference/index.ts';
import type { Task } from '../recipes/schema.ts';
import {
  accuracy, bestF1Threshold, confusionMatrix, detectionAt, macroF1, mae, quantile, rmse, rocAuc, type Detection,
} from './metrics.ts';

export interface TestSet {
  /** Windows, row-major, shape `xShape` = [windows, …sample] (e.g. [n, length, features]). */
  readonly x: Float32Array;
  readonly xShape: readonly number[];
  /** forecast: the readings that followed each window, [windows, horizon × targets]. */
  readonly y?: Float32Array;
  /** anomaly: 0/1 (normal/anomalous) per window, optional; classify: class index per window, required. */
  readonly labels?: ArrayLike<number>;
}

export interface EvaluateOptions {
  /** Windows per onnxruntime call (default 256): bounds memory on long test splits. */
  readonly batchSize?: number;
  /** anomaly: the threshold to report detections at (the model version's stored threshold). */
  readonly threshold?: number;
  /** classify: number of classes (default: the model's output width). */
  readonly classes?: number;
  readonly session?: OnnxSessionOptions;
}

export interface ScoreSummary { readonly mean: number; readonly p50: number; readonly p99: number; readonly max: number }

export interface AnomalyMetrics {
  readonly task: 'anomaly';
  readonly windows: number;
  readonly labelled: boolean;
  readonly positives: number | null;
  /** null where no labels exist or only one class is present (AUC undefined). */
  readonly auc: number | null;
  /** At `options.threshold`; null without labels or threshold. */
  readonly detection: Detection | null;
  /** At the best threshold on this split (optimistic: chosen on the data it is measured on). */
  readonly bestF1: Detection | null;
  readonly score: ScoreSummary;
}

export interface ForecastMetrics {
  readonly task: 'forecast';
  readonly windows: number;
  readonly mae: number;
  readonly rmse: number;
  /** Summary of the per-window residual scores (the anomaly score a forecaster gives). */
  readonly score: ScoreSummary;
}

export interface ClassifyMetrics {
  readonly task: 'classify';
  readonly windows: number;
  readonly classes: number;
  readonly accuracy: number;
  readonly macroF1: number;
  /** [actual][predicted] */
  readonly confusion: number[][];
}

export type TaskMetrics = AnomalyMetrics | ForecastMetrics | ClassifyMetrics;

export interface VariantEvaluation {
  readonly metrics: TaskMetrics;
  /** Per window: anomaly score, forecast residual score, or the classifier's confidence. */
  readonly scores: Float64Array;
  /** classify: predicted class per window. */
  readonly predicted?: Int32Array;
}

function product(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

function checkShape(test: TestSet): { n: number; sample: readonly number[]; perSample: number } {
  const [n, ...sample] = test.xShape;
  if (n === undefined || sample.length === 0 || !test.xShape.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new EdgehiveError('EH_BAD_REQUEST', `test xShape [${test.xShape.join(', ')}] must be [windows, …sample] with positive integers`);
  }
  const perSample = product(sample);
  if (test.x.length !== n * perSample) {
    throw new EdgehiveError('EH_BAD_REQUEST', `test x has ${test.x.length} values but xShape [${test.xShape.join(', ')}] needs ${n * perSample}`);
  }
  return { n, sample, perSample };
}

/**
 * Runs the model over all windows in batches and returns its outputs concatenated, with the
 * number of output values per window. Exposed for callers that need raw scores of other splits
 * (the validation scores the default anomaly threshold comes from).
 */
export async function runBatches(session: OnnxSession, x: Float32Array, xShape: readonly number[], batchSize = 256): Promise<{ data: Float32Array; perSample: number }> {
  const { n, sample, perSample } = checkShape({ x, xShape });
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new EdgehiveError('EH_BAD_REQUEST', `batchSize must be a positive integer, got ${batchSize}`);
  let out: Float32Array | undefined;
  let outPerSample = 0;
  for (let start = 0; start < n; start += batchSize) {
    const b = Math.min(batchSize, n - start);
    const r = await session.run(x.subarray(start * perSample, (start + b) * perSample), [b, ...sample]);
    if (r.dims[0] !== b || r.data.length % b !== 0) {
      throw new EdgehiveError('EH_INFERENCE_FAILED', `model output [${r.dims.join(', ')}] does not have the batch of ${b} first; export models with a dynamic batch axis`);
    }
    if (out === undefined) { outPerSample = r.data.length / b; out = new Float32Array(n * outPerSample); }
    out.set(r.data, start * outPerSample);
  }
  return { data: out ?? new Float32Array(0), perSample: outPerSample };
}

/** Scores per window from the model's outputs, by task (the agent's formulas). */
export function windowScores(task: Task, x: Float32Array, output: Float32Array, perSampleIn: number, perSampleOut: number, y?: Float32Array): Float64Array {
  if (task === 'anomaly') {
    if (perSampleOut !== perSampleIn) {
      throw new EdgehiveError('EH_INFERENCE_FAILED', `anomaly model outputs ${perSampleOut} values per window for ${perSampleIn} inputs; a reconstruction model must output its input's shape`);
    }
    return reconstructionScores(x, output, perSampleIn);
  }
  if (task === 'forecast') {
    if (!y) throw new EdgehiveError('EH_DATA_INSUFFICIENT', 'forecast evaluation needs y (the readings that followed each window)');
    if (y.length !== output.length) {
      throw new EdgehiveError('EH_INFERENCE_FAILED', `forecast model outputs ${perSampleOut} values per window but y has ${y.length / (output.length / perSampleOut)}; check horizon × targets`);
    }
    return forecastResidualScores(output, y, perSampleOut);
  }
  return Float64Array.from(classifyBatch(output, perSampleOut).confidence);
}

function summary(scores: Float64Array): ScoreSummary {
  let sum = 0; let max = -Infinity;
  for (const s of scores) { sum += s; if (s > max) max = s; }
  return { mean: sum / scores.length, p50: quantile(scores, 0.5), p99: quantile(scores, 0.99), max };
}

function requireLabels(test: TestSet, n: number, task: Task): ArrayLike<number> | undefined {
  if (test.labels === undefined) {
    if (task === 'classify') throw new EdgehiveError('EH_DATA_INSUFFICIENT', 'classify evaluation needs labels (class index per test window)');
    return undefined;
  }
  if (test.labels.length !== n) throw new EdgehiveError('EH_BAD_REQUEST', `${test.labels.length} labels for ${n} test windows; pass one label per window`);
  return test.labels;
}

function anomalyMetrics(scores: Float64Array, labels: ArrayLike<number> | undefined, threshold: number | undefined): AnomalyMetrics {
  let positives: number | null = null;
  let auc: number | null = null;
  if (labels) {
    positives = 0;
    for (let i = 0; i < labels.length; i++) if (labels[i] !== 0) positives++;
    const a = rocAuc(scores, labels);
    auc = Number.isNaN(a) ? null : a;
  }
  return {
    task: 'anomaly', windows: scores.length, labelled: labels !== undefined, positives, auc,
    detection: labels && threshold !== undefined ? detectionAt(scores, labels, threshold) : null,
    bestF1: labels ? bestF1Threshold(scores, labels) : null,
    score: summary(scores),
  };
}

/** Evaluates one variant on the test split. Loads its own session and releases it. */
export async function evaluateVariant(modelBytes: Uint8Array, task: Task, test: TestSet, options: EvaluateOptions = {}): Promise<VariantEvaluation> {
  const { n, perSample } = checkShape(test);
  const labels = requireLabels(test, n, task);
  const session = await OnnxSession.load(modelBytes, options.session);
  let out: { data: Float32Array; perSample: number };
  try {
    out = await runBatches(session, test.x, test.xShape, options.batchSize);
  } finally {
    await session.close();
  }
  const scores = windowScores(task, test.x, out.data, perSample, out.perSample, test.y);
  if (task === 'anomaly') return { metrics: anomalyMetrics(scores, labels, options.threshold), scores };
  if (task === 'forecast') {
    const y = test.y as Float32Array; // checked by windowScores
    return { metrics: { task, windows: n, mae: mae(out.data, y), rmse: rmse(out.data, y), score: summary(scores) }, scores };
  }
  const classes = options.classes ?? out.perSample;
  if (classes !== out.perSample) {
    throw new EdgehiveError('EH_INFERENCE_FAILED', `classifier outputs ${out.perSample} values per window but the recipe has ${classes} classes`);
  }
  const predicted = classifyBatch(out.data, classes).classes;
  const actual = labels as ArrayLike<number>;
  const confusion = confusionMatrix(actual, predicted, classes);
  return {
    metrics: { task, windows: n, classes, accuracy: accuracy(actual, predicted), macroF1: macroF1(confusion), confusion },
    scores, predicted,
  };
}
