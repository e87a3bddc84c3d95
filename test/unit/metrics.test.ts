import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  accuracy, averageRanks, bestF1Threshold, confusionMatrix, defaultAnomalyThreshold, detectionAt, macroF1, mae, pearson,
  quantile, rmse, rocAuc, spearman,
} from '../../cloud-hub/evaluate/index.ts';
import {
  argmax, classifyBatch, forecastResidualScore, forecastResidualScores, isAnomaly, reconstructionScore, reconstructionScores, softmax,
} from '../../shared/inference/index.ts';

type EdgehiveLike = Error & { code?: string };
const close = (a: number, b: number, eps = 1e-12): void => assert.ok(Math.abs(a - b) <= eps, `${a} ≈ ${b}`);

test('reconstruction and forecast scores are the per-window mean squared error', () => {
  assert.equal(reconstructionScore([1, 2, 3, 4], [1, 2, 3, 6]), 1); // (0+0+0+4)/4
  const batch = reconstructionScores(new Float32Array([1, 2, 3, 4]), new Float32Array([1, 2, 3, 6]), 2);
  assert.deepEqual([...batch], [0, 2]);
  assert.equal(forecastResidualScore([2, 2], [1, 4]), 2.5); // (1 + 4) / 2
  assert.deepEqual([...forecastResidualScores(new Float32Array([1, 1, 1]), new Float32Array([2, 3, 1]), 1)], [1, 4, 0]);
  assert.throws(() => reconstructionScores(new Float32Array(4), new Float32Array(3), 2), (e: EdgehiveLike) => e.code === 'EH_INFERENCE_FAILED');
  assert.throws(() => reconstructionScores(new Float32Array(6), new Float32Array(6), 4), (e: EdgehiveLike) => e.code === 'EH_INFERENCE_FAILED');
  assert.ok(isAnomaly(1.01, 1) && !isAnomaly(1, 1), 'detection is strictly above the threshold');
});

test('argmax takes the first of ties; classifyBatch gives class and confidence per row; softmax sums to 1', () => {
  assert.equal(argmax([0.2, 0.5, 0.5]), 1);
  const c = classifyBatch(new Float32Array([0.1, 0.7, 0.2, 0.6, 0.3, 0.1]), 3);
  assert.deepEqual([...c.classes], [1, 0]);
  assert.deepEqual([...c.confidence], [Math.fround(0.7), Math.fround(0.6)]);
  const p = softmax([1000, 1000, 1000 - Math.log(2)]);
  close(p[0]! + p[1]! + p[2]!, 1);
  close(p[0]!, 0.4);
});

test('ROC AUC: hand-computed, ties count one half (average ranks), NaN with one class', () => {
  close(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]), 0.75); // scikit-learn's documented example
  // pos {2, 3} vs neg {1, 2}: 1 + 0.5 + 1 + 1 = 3.5 of 4 pairs
  assert.deepEqual([...averageRanks([1, 2, 2, 3])], [1, 2.5, 2.5, 4]);
  close(rocAuc([1, 2, 2, 3], [0, 0, 1, 1]), 0.875);
  close(rocAuc([5, 5, 5, 5], [0, 1, 0, 1]), 0.5); // all tied: no information
  close(rocAuc([3, 2, 1], [true, false, false]), 1);
  close(rocAuc([1, 2, 3], [1, 0, 0]), 0);
  assert.ok(Number.isNaN(rocAuc([0.1, 0.2], [0, 0])));
  assert.ok(Number.isNaN(rocAuc([0.1, 0.2], [1, 1])));
  assert.throws(() => rocAuc([1, 2], [0]), (e: EdgehiveLike) => e.code === 'EH_BAD_REQUEST');
});

test('detections at a threshold: precision, recall, F1', () => {
  const scores = [0.1, 0.5, 0.9, 0.3];
  const labels = [0, 1, 1, 0];
  const a = detectionAt(scores, labels, 0.4);
  assert.deepEqual({ tp: a.tp, fp: a.fp, tn: a.tn, fn: a.fn, f1: a.f1 }, { tp: 2, fp: 0, tn: 2, fn: 0, f1: 1 });
  const b = detectionAt(scores, labels, 0.5); // strict: 0.5 itself is not flagged
  assert.deepEqual([b.tp, b.fp, b.fn, b.precision, b.recall], [1, 0, 1, 1, 0.5]);
  close(b.f1, 2 / 3);
  const none = detectionAt(scores, labels, 1);
  assert.deepEqual([none.precision, none.recall, none.f1], [0, 0, 0], 'no detections: precision 0 by convention');
});

test('best-F1 threshold search: cut points between distinct scores, reproducible by detectionAt', () => {
  const best = bestF1Threshold([0.1, 0.5, 0.9, 0.3], [0, 1, 1, 0]);
  assert.equal(best.f1, 1);
  assert.equal(best.threshold, 0.3);
  // ties: flagging both 1s (with a false positive) beats flagging 2 alone: F1 0.8 > 2/3
  const tied = bestF1Threshold([1, 1, 2], [1, 0, 1]);
  close(tied.f1, 0.8);
  assert.ok(tied.threshold < 1 && tied.threshold > 0.999999);
  assert.deepEqual(detectionAt([1, 1, 2], [1, 0, 1], tied.threshold), tied);
  const noPositives = bestF1Threshold([1, 2, 3], [0, 0, 0]);
  assert.equal(noPositives.f1, 0);
  assert.equal(noPositives.fp, 0, 'with no positives the best is to flag nothing');
});

test('confusion matrix, accuracy and macro-F1 (hand-computed)', () => {
  const actual = [0, 0, 1, 1, 2, 2];
  const predicted = [0, 1, 1, 1, 2, 0];
  const m = confusionMatrix(actual, predicted, 3);
  assert.deepEqual(m, [[1, 1, 0], [0, 2, 0], [1, 0, 1]]);
  close(accuracy(actual, predicted), 4 / 6);
  // per class F1 = 2tp / (actual + predicted): 2/4, 4/5, 2/3
  close(macroF1(m), (0.5 + 0.8 + 2 / 3) / 3);
  // a fourth class absent from both actual and predicted does not drag the mean down
  close(macroF1(confusionMatrix(actual, predicted, 4)), (0.5 + 0.8 + 2 / 3) / 3);
  // a class predicted but never present counts with F1 0
  close(macroF1(confusionMatrix([0, 0], [0, 1], 2)), (2 / 3 + 0) / 2);
  assert.throws(() => confusionMatrix([0, 3], [0, 1], 3), (e: EdgehiveLike) => e.code === 'EH_BAD_REQUEST' && /class 3/.test(e.message));
});

test('MAE, RMSE, correlations, quantiles', () => {
  close(mae([1, 2, 3], [1, 4, 0]), 5 / 3);
  close(rmse([1, 2, 3], [1, 4, 0]), Math.sqrt(13 / 3));
  close(pearson([1, 2, 3], [2, 4, 6]), 1);
  close(pearson([1, 2, 3], [3, 2, 1]), -1);
  close(spearman([1, 2, 3, 4], [1, 4, 9, 16]), 1);
  assert.ok(pearson([1, 2, 3, 4], [1, 4, 9, 100]) < 0.9);
  assert.ok(Number.isNaN(pearson([1, 1, 1], [1, 2, 3])), 'a constant series has no correlation');
  close(quantile([4, 1, 3, 2], 0.5), 2.5);
  close(quantile([1, 2, 3, 4], 0.99), 3.97);
  assert.throws(() => mae([], []), (e: EdgehiveLike) => e.code === 'EH_DATA_INSUFFICIENT');
});

test('default anomaly threshold: the 0.99 quantile of held-out scores, about 1 % flagged', () => {
  const scores = Array.from({ length: 100 }, (_, i) => i + 1);
  const t = defaultAnomalyThreshold(scores);
  close(t.threshold, 99.01);
  assert.deepEqual({ rule: t.rule, quantile: t.quantile, windows: t.windows }, { rule: 'quantile', quantile: 0.99, windows: 100 });
  assert.equal(scores.filter((s) => isAnomaly(s, t.threshold)).length, 1);
  assert.equal(defaultAnomalyThreshold([2, 2, 2]).threshold, 2, 'constant scores: nothing flagged (strict rule)');
  assert.throws(() => defaultAnomalyThreshold([1]), (e: EdgehiveLike) => e.code === 'EH_DATA_INSUFFICIENT');
});
