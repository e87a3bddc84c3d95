import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportOnnx } from '../../cloud-hub/export/index.ts';
import type { ModelGraph } from '../../cloud-hub/model/graph.ts';
import { ModelRunner, type TaskKind } from '../../edge-agent/runtime/index.ts';
import { fitPreprocess, windows as trainerWindows, type PreprocessSpec } from '../../shared/features/index.ts';
import { OnnxSession } from '../../shared/inference/index.ts';

const L = 6;
const F = 2;

/** Deterministic readings with a few missing values, so imputation is on the path too. */
function readings(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => [Math.sin(i / 3) * 10 + 20, i % 7 === 3 ? NaN : Math.cos(i / 5) + (i % 4)]);
}

function spec(stride: number): PreprocessSpec {
  return fitPreprocess(readings(50), { features: ['a', 'b'], imputation: { method: 'last' }, normalisation: 'zscore', window: { length: L, stride } });
}

function weights(rows: number, cols: number, seed: number): Float32Array {
  return Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(i * 1.7 + seed) * 0.4);
}

function graph(task: TaskKind, out: number): ModelGraph {
  const dense = (inp: number, units: number, activation: 'linear' | 'softmax') => ({
    kind: 'dense' as const, units, activation,
    kernel: { shape: [inp, units], data: weights(inp, units, units) }, bias: { shape: [units], data: weights(1, units, 3) },
  });
  if (task === 'anomaly') return { name: 't', inputShape: [L, F], outputShape: [L, F], layers: [dense(F, F, 'linear')] };
  return { name: 't', inputShape: [L, F], outputShape: [out], layers: [{ kind: 'flatten' }, dense(L * F, out, task === 'classify' ? 'softmax' : 'linear')] };
}

async function runner(task: TaskKind, stride: number, out = 0): Promise<ModelRunner> {
  const session = await OnnxSession.load(exportOnnx(graph(task, out)));
  return new ModelRunner(session, spec(stride), { task, batchSize: 4 });
}

async function stream(r: ModelRunner, rows: number[][]) {
  const out = [];
  for (const row of rows) out.push(await r.push(row));
  return out;
}

test('anomaly: the streaming runner scores each window as the batch path does, from the same windows', async () => {
  const rows = readings(40);
  const r = await runner('anomaly', 2);
  const streamed = await stream(r, rows);
  const batch = await r.scoreRows(rows);
  streamed.forEach((s, i) => {
    if (s === null) assert.ok(Number.isNaN(batch.scores[i]!), `row ${i}: batch has a score the stream lacks`);
    else assert.equal(s.score, batch.scores[i], `row ${i}`);
  });
  // Windows complete on rows 5, 7, 9, …: 18 scores.
  assert.deepEqual(streamed.map((s, i) => (s ? i : -1)).filter((i) => i >= 0), Array.from({ length: 18 }, (_, k) => 5 + 2 * k));
  // The score is the reconstruction MSE of the trainer's window k: check one by hand.
  const w = trainerWindows(rows, r.spec);
  const session = r.session;
  const k = 3;
  const x = w.data.subarray(k * L * F, (k + 1) * L * F);
  const y = (await session.run(x, [1, L, F])).data;
  let mse = 0;
  for (let i = 0; i < x.length; i++) mse += (x[i]! - y[i]!) ** 2;
  assert.ok(Math.abs(streamed[5 + 2 * k]!.score - mse / x.length) < 1e-12);
  await session.close();
});

test('forecast: each score arrives `horizon` rows after its window, equal to the batch residual', async () => {
  const rows = readings(30);
  const r = await runner('forecast', 1, 3 * F);
  const streamed = await stream(r, rows);
  assert.equal(r.horizon, 3);
  const batch = await r.scoreRows(rows);
  const at = streamed.map((s, i) => (s ? i : -1)).filter((i) => i >= 0);
  assert.equal(at[0], L - 1 + 3, 'first forecast is judged once its 3 readings are in');
  assert.equal(at.length, rows.length - (L - 1) - 3);
  streamed.forEach((s, i) => assert.equal(s?.score ?? NaN, batch.scores[i], `row ${i}`));
  await r.session.close();
});

test('classify: argmax and probabilities per window, matching the batch labels', async () => {
  const rows = readings(20);
  const r = await runner('classify', 3, 4);
  const streamed = await stream(r, rows);
  const batch = await r.scoreRows(rows);
  let n = 0;
  streamed.forEach((s, i) => {
    if (!s) return assert.equal(batch.labels![i], -1);
    n++;
    const p = s.probabilities!;
    assert.equal(p.length, 4);
    assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-5);
    assert.equal(s.label, p.indexOf(Math.max(...p)));
    assert.equal(s.label, batch.labels![i]);
    assert.equal(s.score, batch.scores[i]);
  });
  assert.equal(n, 5); // rows 5, 8, 11, 14, 17
  await r.session.close();
});

test('a model whose output does not fit the task, or a reading of the wrong width, is refused clearly', async () => {
  const r = await runner('classify', 1, 4);
  const wrong = new ModelRunner(r.session, r.spec, { task: 'anomaly' });
  await assert.rejects(stream(wrong, readings(L)), (e: Error & { code?: string }) => e.code === 'EH_MODEL_INVALID' && /reconstruction needs 12/.test(e.message));
  await assert.rejects(r.push([1]), (e: Error & { code?: string }) => e.code === 'EH_BAD_REQUEST' && /2 features/.test(e.message));
  await r.session.close();
});
