import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exportOnnx } from '../../cloud-hub/export/onnx-export.ts';
import {
  compareVariants, defaultAnomalyThreshold, evaluateVariant, requireFp32Accepted, requireInt8Accepted, type Gates, type TestSet,
} from '../../cloud-hub/evaluate/index.ts';
import { reconstructionScore } from '../../shared/inference/index.ts';
import { checkOnnxModel, onnxCheckerSkip } from '../support/onnx-checker.ts';
import { denseModel, eye, forecastModel, int8DenseModel, reconstructionModel } from '../support/tiny-onnx.ts';

type EdgehiveLike = Error & { code?: string; details?: Record<string, unknown> };
const close = (a: number, b: number, eps = 1e-9): void => assert.ok(Math.abs(a - b) <= eps, `${a} ≈ ${b}`);

const L = 4;
const F = 2;
const N = 40;

/** Window i: a fixed pattern scaled by 0.1 + 0.05 i, so the score of a 0.5·identity model grows with i. */
function anomalyWindows(): Float32Array {
  const x = new Float32Array(N * L * F);
  for (let i = 0; i < N; i++) for (let j = 0; j < L * F; j++) x[i * L * F + j] = (0.1 + 0.05 * i) * Math.sin(j + 1);
  return x;
}
const X = anomalyWindows();
// positives: the 5 largest windows and window 10 → AUC = (10 + 5·34) / (6·34)
const LABELS = Array.from({ length: N }, (_, i) => (i >= 35 || i === 10 ? 1 : 0));
const HALF = reconstructionModel(L, F, eye(F, 0.5), [0, 0]);

test('anomaly: real ONNX model, scores are the agent\'s reconstruction MSE, AUC and F1 hand-checked', async () => {
  const ev = await evaluateVariant(HALF, 'anomaly', { x: X, xShape: [N, L, F], labels: LABELS }, { batchSize: 7, threshold: 0.05 });
  for (let i = 0; i < N; i++) {
    const w = X.subarray(i * L * F, (i + 1) * L * F);
    close(ev.scores[i]!, reconstructionScore(w, w.map((v) => v * 0.5)), 1e-12);
  }
  const m = ev.metrics;
  assert.equal(m.task, 'anomaly');
  if (m.task !== 'anomaly') return;
  assert.equal(m.windows, N);
  assert.equal(m.positives, 6);
  close(m.auc!, 180 / 204);
  // best F1: flag the top 5 (all positive) → P 1, R 5/6
  close(m.bestF1!.f1, 2 * 5 / (2 * 5 + 1));
  assert.ok(m.detection !== null && m.detection.threshold === 0.05);
  assert.ok(m.score.max >= m.score.p99 && m.score.p99 >= m.score.p50);
  assert.doesNotThrow(() => JSON.stringify(m));
  // batching does not change the numbers
  const one = await evaluateVariant(HALF, 'anomaly', { x: X, xShape: [N, L, F] }, { batchSize: 256 });
  assert.deepEqual([...one.scores], [...ev.scores]);
  assert.equal(one.metrics.task === 'anomaly' && one.metrics.auc, null, 'no labels: AUC is null, not made up');
});

test('anomaly gates with labels: AUC loss accepted or refused with gate, value and limit', async () => {
  const test_: TestSet = { x: X, xShape: [N, L, F], labels: LABELS };
  const fp32 = await evaluateVariant(HALF, 'anomaly', test_);
  const near = await evaluateVariant(reconstructionModel(L, F, eye(F, 0.49), [0, 0]), 'anomaly', test_);
  const gates: Gates = { maxInt8Loss: 0.02, minAuc: 0.8 };
  const ok = compareVariants(fp32, near, gates);
  assert.equal(ok.accepted, true, ok.reason);
  assert.equal(ok.lossMetric, 'AUC loss');
  close(ok.loss, 0);
  assert.ok(ok.checks.some((c) => c.gate === 'minAuc' && c.passed));
  // a "variant" that reconstructs perfectly scores every window 0: AUC 0.5
  const flat = await evaluateVariant(reconstructionModel(L, F, eye(F, 1), [0, 0]), 'anomaly', test_);
  const bad = compareVariants(fp32, flat, gates);
  assert.equal(bad.accepted, false);
  assert.equal(bad.fp32Accepted, true);
  close(bad.loss, 180 / 204 - 0.5);
  assert.match(bad.reason, /int8 variant refused \(maxInt8Loss: int8 AUC loss 0\.38\d* > 0\.02; AUC fp32 0\.88\d*, int8 0\.5\)/);
  assert.throws(() => requireInt8Accepted(bad), (e: EdgehiveLike) => e.code === 'EH_GATE_FAILED' && /maxInt8Loss/.test(e.message));
  // an fp32 floor that fails refuses both variants
  const strict = compareVariants(fp32, near, { maxInt8Loss: 0.02, minAuc: 0.95, minAccuracy: 0.9 });
  assert.equal(strict.fp32Accepted, false);
  assert.equal(strict.accepted, false);
  assert.match(strict.reason, /minAuc: fp32 AUC 0\.88\d* < 0\.95/);
  assert.deepEqual(strict.skipped.map((s) => s.gate), ['minAccuracy']);
  assert.throws(() => requireFp32Accepted(strict), (e: EdgehiveLike) => e.code === 'EH_GATE_FAILED');
});

test('anomaly gates without labels: 1 − correlation of int8 scores with fp32 scores', async () => {
  const test_: TestSet = { x: X, xShape: [N, L, F] };
  const fp32 = await evaluateVariant(HALF, 'anomaly', test_);
  const near = await evaluateVariant(reconstructionModel(L, F, eye(F, 0.49), [0, 0]), 'anomaly', test_);
  const ok = compareVariants(fp32, near, { maxInt8Loss: 0.01, minAuc: 0.9 });
  assert.equal(ok.accepted, true, ok.reason);
  assert.equal(ok.lossMetric, '1 − score correlation');
  assert.ok(ok.loss < 1e-9);
  assert.deepEqual(ok.skipped, [{ gate: 'minAuc', why: 'the test split has no labels' }]);
  const flat = await evaluateVariant(reconstructionModel(L, F, eye(F, 1), [0, 0]), 'anomaly', test_);
  const bad = compareVariants(fp32, flat, { maxInt8Loss: 0.01 });
  assert.equal(bad.accepted, false);
  assert.equal(bad.loss, 1, 'constant int8 scores carry no information');
  assert.match(bad.reason, /maxInt8Loss: int8 1 − score correlation 1 > 0\.01/);
  // the default threshold the model version stores comes from held-out scores
  const t = defaultAnomalyThreshold(fp32.scores);
  assert.equal(fp32.scores.filter((s) => s > t.threshold).length, 1, 'about 1 % of 40 held-out windows above the stored threshold');
});

test('classify: accuracy, macro-F1, confusion matrix; a real int8-weight (DequantizeLinear) variant passes the gate', async () => {
  const n = 30;
  const x = new Float32Array(n * 3);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % 3;
    for (let j = 0; j < 3; j++) x[i * 3 + j] = (j === k ? 1 : 0) + 0.1 * Math.sin(i * 3 + j);
    labels.push(i === 0 || i === 1 ? (k + 1) % 3 : k); // two wrong labels: accuracy 28/30
  }
  const W = eye(3, 4);
  const fp32 = await evaluateVariant(denseModel(W, 3, 3, [0, 0, 0], { softmax: true }), 'classify', { x, xShape: [n, 3], labels }, { classes: 3 });
  const m = fp32.metrics;
  assert.ok(m.task === 'classify');
  if (m.task !== 'classify') return;
  close(m.accuracy, 28 / 30);
  // window 0 (class 0) labelled 1, window 1 (class 1) labelled 2
  assert.deepEqual(m.confusion, [[9, 0, 0], [1, 9, 0], [0, 1, 10]]);
  close(m.macroF1, (20 / 21 + 18 / 20 + 18 / 19) / 3);
  assert.deepEqual([...fp32.predicted!].slice(0, 6), [0, 1, 2, 0, 1, 2]);
  const q = int8DenseModel(W, 3, 3, [0, 0, 0], { softmax: true });
  const int8 = await evaluateVariant(q.bytes, 'classify', { x, xShape: [n, 3], labels });
  const ok = compareVariants(fp32, int8, { maxInt8Loss: 0.02, minAccuracy: 0.9, minF1: 0.9 });
  assert.equal(ok.accepted, true, ok.reason);
  assert.equal(ok.loss, 0);
  // a variant with its classes shifted by one gets almost everything wrong
  const shifted = [0, 4, 0, 0, 0, 4, 4, 0, 0];
  const wrong = await evaluateVariant(denseModel(shifted, 3, 3, [0, 0, 0], { softmax: true }), 'classify', { x, xShape: [n, 3], labels });
  const bad = compareVariants(fp32, wrong, { maxInt8Loss: 0.02, minAccuracy: 0.9 });
  assert.equal(bad.accepted, false);
  assert.match(bad.reason, /maxInt8Loss: int8 accuracy loss 0\.\d+ > 0\.02; accuracy fp32 0\.9333, int8 /);
  const floor = compareVariants(fp32, int8, { maxInt8Loss: 0.02, minAccuracy: 0.95 });
  assert.match(floor.reason, /fp32 variant refused \(minAccuracy: fp32 accuracy 0\.9333 < 0\.95\)/);
  await assert.rejects(evaluateVariant(q.bytes, 'classify', { x, xShape: [n, 3] }), (e: EdgehiveLike) => e.code === 'EH_DATA_INSUFFICIENT');
  await assert.rejects(evaluateVariant(q.bytes, 'classify', { x, xShape: [n, 3], labels: [0] }), (e: EdgehiveLike) => e.code === 'EH_BAD_REQUEST');
});

test('forecast: MAE/RMSE against the readings that followed; relative RMSE increase gate', async () => {
  const n = 20;
  const x = new Float32Array(n * 3);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < 3; t++) x[i * 3 + t] = 1 + 0.1 * Math.sin(i + t);
    y[i] = x[i * 3 + 2]! + (i % 2 ? 0.125 : -0.125); // persistence misses by exactly 1/8
  }
  const persistence = forecastModel(3, 1, 1, [0, 0, 1], [0]);
  const fp32 = await evaluateVariant(persistence, 'forecast', { x, xShape: [n, 3, 1], y });
  assert.ok(fp32.metrics.task === 'forecast');
  if (fp32.metrics.task !== 'forecast') return;
  close(fp32.metrics.mae, 0.125, 1e-6);
  close(fp32.metrics.rmse, 0.125, 1e-6);
  close(fp32.scores[3]!, 0.125 ** 2, 1e-7);
  const scaled = await evaluateVariant(forecastModel(3, 1, 1, [0, 0, 1.2], [0]), 'forecast', { x, xShape: [n, 3, 1], y });
  const bad = compareVariants(fp32, scaled, { maxInt8Loss: 0.05, maxRmse: 0.2 });
  assert.equal(bad.accepted, false);
  assert.equal(bad.lossMetric, 'relative RMSE increase');
  assert.match(bad.reason, /maxInt8Loss: int8 relative RMSE increase \d+(\.\d+)? > 0\.05; RMSE fp32 0\.125, int8 /);
  assert.ok(bad.checks.some((c) => c.gate === 'maxRmse' && c.passed));
  const same = compareVariants(fp32, fp32, { maxInt8Loss: 0, maxRmse: 0.1 });
  assert.match(same.reason, /maxRmse: fp32 RMSE 0\.125 > 0\.1/);
  await assert.rejects(evaluateVariant(persistence, 'forecast', { x, xShape: [n, 3, 1] }), (e: EdgehiveLike) => e.code === 'EH_DATA_INSUFFICIENT');
  assert.throws(() => compareVariants(fp32, { ...fp32, metrics: { ...fp32.metrics, windows: 3 } }, { maxInt8Loss: 0 }), (e: EdgehiveLike) => e.code === 'EH_BAD_REQUEST');
});

test('an exporter-built model (cloud-hub/export) evaluates like the hand-built one', async () => {
  const units = L * F;
  const exported = exportOnnx({
    name: 'ae', inputShape: [L, F], outputShape: [L, F],
    layers: [
      { kind: 'flatten' },
      { kind: 'dense', units, activation: 'linear', kernel: { shape: [units, units], data: Float32Array.from(eye(units, 0.5)) }, bias: { shape: [units], data: new Float32Array(units) } },
      { kind: 'reshape', shape: [L, F] },
    ],
  });
  const a = await evaluateVariant(exported, 'anomaly', { x: X, xShape: [N, L, F], labels: LABELS });
  const b = await evaluateVariant(HALF, 'anomaly', { x: X, xShape: [N, L, F], labels: LABELS });
  for (let i = 0; i < N; i++) close(a.scores[i]!, b.scores[i]!, 1e-12);
});

test('the test models are valid ONNX (onnx.checker)', { skip: onnxCheckerSkip() }, () => {
  checkOnnxModel(HALF);
  checkOnnxModel(int8DenseModel(eye(3), 3, 3, [0, 0, 0], { softmax: true }).bytes);
  checkOnnxModel(forecastModel(3, 1, 1, [0, 0, 1], [0]));
});
