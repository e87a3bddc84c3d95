import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { trainGraph, trainGraphInWorker } from '../../cloud-hub/trainer/engine.ts';
import { selectBackend } from '../../cloud-hub/trainer/backend.ts';
import { createTfPredictor, predictGraph } from '../../cloud-hub/trainer/predict.ts';
import { conv1dMatMul } from '../../cloud-hub/trainer/tf-ops.ts';
import type { EngineInput, TrainProgress } from '../../cloud-hub/trainer/engine-api.ts';
import type { LayerSpec } from '../../cloud-hub/recipes/schema.ts';
import type { ModelGraph } from '../../cloud-hub/model/graph.ts';
import { isEdgehiveError } from '../../shared/errors/index.ts';

/** Deterministic pseudo-random floats in [-1, 1) (tests need data, not the engine's generator). */
function data(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** y = 0.5·x0 − x1 + 0.25 on [n, 2] inputs. */
function linearTask(n: number, seed: number): { x: Float32Array; y: Float32Array } {
  const x = data(n * 2, seed);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = 0.5 * x[2 * i]! - x[2 * i + 1]! + 0.25;
  return { x, y };
}

function regression(over: Partial<EngineInput['training']> = {}, validation?: EngineInput['validation']): EngineInput {
  const { x, y } = linearTask(256, 7);
  return {
    name: 'lin', inputShape: [2], loss: 'mse',
    layers: [{ type: 'dense', units: 8, activation: 'tanh' }, { type: 'dense', units: 1 }],
    train: { x: { data: x, shape: [256, 2] }, y: { data: y, shape: [256, 1] } },
    ...(validation ? { validation } : {}),
    training: { epochs: 30, batchSize: 16, learningRate: 0.02, seed: 3, ...over },
  };
}

function weightsOf(g: ModelGraph): Float32Array[] {
  return g.layers.flatMap((n) => Object.values(n).filter((v): v is { data: Float32Array } => typeof v === 'object' && v !== null && 'data' in v).map((v) => v.data));
}

test('learns a simple function: the loss falls far below where it started', async () => {
  const out = await trainGraph(regression(), { backend: 'wasm' });
  const first = out.history[0]!.loss;
  const last = out.history[out.history.length - 1]!.loss;
  assert.ok(last < first / 20, `loss ${first} → ${last}`);
  assert.deepEqual(out.graph.outputShape, [1]);
  const pred = await predictGraph(out.graph, new Float32Array([0.4, -0.2]), [1, 2]);
  assert.ok(Math.abs(pred[0]! - (0.2 + 0.2 + 0.25)) < 0.1, `predicted ${pred[0]}`);
});

test('the same seed gives identical weights bit for bit; another seed does not', async () => {
  const a = await trainGraph(regression({ epochs: 3 }), { backend: 'wasm' });
  const b = await trainGraph(regression({ epochs: 3 }), { backend: 'wasm' });
  const c = await trainGraph(regression({ epochs: 3, seed: 4 }), { backend: 'wasm' });
  assert.deepEqual(weightsOf(a.graph), weightsOf(b.graph));
  assert.notDeepEqual(weightsOf(a.graph), weightsOf(c.graph));
});

test('early stopping stops after `patience` worse epochs and returns the best epoch\'s weights', async () => {
  // Validation wants the opposite function, so validation loss soon only gets worse.
  const { x, y } = linearTask(64, 11);
  const validation = { x: { data: x, shape: [64, 2] }, y: { data: y.map((v) => -v), shape: [64, 1] } };
  const out = await trainGraph(regression({ epochs: 50, earlyStopping: { patience: 2 } }, validation), { backend: 'wasm' });
  assert.equal(out.stoppedEarly, true);
  const losses = out.history.map((h) => h.valLoss!);
  assert.equal(out.bestEpoch, losses.indexOf(Math.min(...losses)) + 1);
  assert.equal(out.history.length, out.bestEpoch + 2);
  assert.ok(out.history.length < 10, `stopped after ${out.history.length} epochs`);
  const upToBest = await trainGraph(regression({ epochs: out.bestEpoch }, validation), { backend: 'wasm' });
  assert.deepEqual(weightsOf(out.graph), weightsOf(upToBest.graph));
});

test('conv1d via forward convolutions equals tf.conv1d, values and gradients, valid/same and stride 2', async () => {
  await selectBackend('cpu');
  for (const [padding, stride, t] of [['valid', 1, 11], ['same', 1, 11], ['valid', 2, 11], ['same', 2, 11], ['same', 3, 10]] as const) {
    tf.tidy(() => {
      const x = tf.tensor3d(data(2 * t * 3, 5), [2, t, 3]);
      const w = tf.tensor3d(data(4 * 3 * 5, 6), [4, 3, 5]);
      const b = tf.tensor1d(data(5, 8));
      const dy = tf.tensor(data(2 * Math.ceil(t / stride) * 5, 9));
      const ours = (xx: tf.Tensor, ww: tf.Tensor) => conv1dMatMul(xx as tf.Tensor3D, ww as tf.Tensor3D, b, stride, padding, 'linear');
      const ref = (xx: tf.Tensor, ww: tf.Tensor) => tf.add(tf.conv1d(xx as tf.Tensor3D, ww as tf.Tensor3D, stride, padding), b);
      const y1 = ours(x, w);
      const y2 = ref(x, w);
      assert.deepEqual(y1.shape, y2.shape, `${padding} stride ${stride}`);
      const up = tf.reshape(tf.slice(dy, 0, y1.size), y1.shape);
      const g1 = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.mul(ours(xx, ww), up)))([x, w]);
      const g2 = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.mul(ref(xx, ww), up)))([x, w]);
      for (const [p, q, what] of [[y1, y2, 'output'], [g1[0]!, g2[0]!, 'dx'], [g1[1]!, g2[1]!, 'dW']] as const) {
        const d = tf.max(tf.abs(tf.sub(p, q))).dataSync()[0]!;
        assert.ok(d < 1e-5, `${what} differs by ${d} (${padding}, stride ${stride})`);
      }
    });
  }
});

test('pooling, batchNorm (inference), conv1d and dense on rank 3 compute what tf.layers computes', async () => {
  const layers: LayerSpec[] = [
    { type: 'conv1d', filters: 4, kernelSize: 3, padding: 'same', stride: 2, activation: 'relu' },
    { type: 'batchNorm' },
    { type: 'maxPool1d', poolSize: 2 },
    { type: 'dense', units: 3, activation: 'tanh' },
    { type: 'avgPool1d', poolSize: 2, stride: 1 },
    { type: 'flatten' },
    { type: 'dropout', rate: 0.5 },
    { type: 'dense', units: 2, activation: 'softmax' },
  ];
  const n = 32;
  const y = new Float32Array(n * 2).map((_, i) => (i % 2 === (Math.floor(i / 2) % 3 === 0 ? 0 : 1) ? 1 : 0));
  const out = await trainGraph({
    name: 'parity', inputShape: [20, 2], layers, loss: 'categoricalCrossentropy',
    train: { x: { data: data(n * 40, 1), shape: [n, 20, 2] }, y: { data: y, shape: [n, 2] } },
    training: { epochs: 2, batchSize: 8, learningRate: 0.01 },
  }, { backend: 'cpu' });
  const bn = out.graph.layers[1]!;
  assert.ok(bn.kind === 'batchNorm' && bn.movingMean.data.some((v) => v !== 0), 'moving statistics were updated');
  const w = (i: number, k: string) => {
    const t = (out.graph.layers[i] as unknown as Record<string, { data: Float32Array; shape: number[] }>)[k]!;
    return tf.tensor(t.data, t.shape);
  };
  const ref = tf.sequential({ layers: [
    tf.layers.conv1d({ inputShape: [20, 2], filters: 4, kernelSize: 3, padding: 'same', strides: 2, activation: 'relu', weights: [w(0, 'kernel'), w(0, 'bias')] }),
    tf.layers.batchNormalization({ epsilon: 1e-3, weights: [w(1, 'gamma'), w(1, 'beta'), w(1, 'movingMean'), w(1, 'movingVariance')] }),
    tf.layers.maxPooling1d({ poolSize: 2 }),
    tf.layers.dense({ units: 3, activation: 'tanh', weights: [w(3, 'kernel'), w(3, 'bias')] }),
    tf.layers.averagePooling1d({ poolSize: 2, strides: 1 }),
    tf.layers.flatten(),
    tf.layers.dropout({ rate: 0.5 }),
    tf.layers.dense({ units: 2, activation: 'softmax', weights: [w(7, 'kernel'), w(7, 'bias')] }),
  ] });
  const x = data(5 * 40, 2);
  const expected = (ref.predict(tf.tensor(x, [5, 20, 2])) as tf.Tensor).dataSync();
  const p = await createTfPredictor(out.graph, 'cpu');
  const got = p.predict(x, [5, 20, 2]);
  p.dispose();
  assert.deepEqual(out.graph.outputShape, [2]);
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(got[i]! - expected[i]!) < 1e-5, `output ${i}: ${got[i]} vs ${expected[i]}`);
  ref.dispose();
});

test('a 1D-CNN trains identically in a worker thread, posting progress per epoch', async () => {
  const n = 48;
  const input: EngineInput = {
    name: 'cnn', inputShape: [16, 2], loss: 'mse',
    layers: [{ type: 'conv1d', filters: 4, kernelSize: 3, stride: 2, padding: 'same', activation: 'relu' }, { type: 'globalAvgPool1d' }, { type: 'dense', units: 1 }],
    train: { x: { data: data(n * 32, 3), shape: [n, 16, 2] }, y: { data: data(n, 4), shape: [n, 1] } },
    training: { epochs: 3, batchSize: 16, learningRate: 0.01, seed: 9 },
  };
  const seen: TrainProgress[] = [];
  const inWorker = await trainGraphInWorker(input, { backend: 'wasm', onProgress: (p) => seen.push(p) });
  const here = await trainGraph(input, { backend: 'wasm' });
  assert.deepEqual(seen.map((p) => p.epoch), [1, 2, 3]);
  assert.ok(seen.every((p) => p.backend === 'wasm' && p.samplesPerSecond > 0 && Number.isFinite(p.loss)));
  assert.equal(seen[2]!.etaMs, 0);
  assert.deepEqual(inWorker.graph, here.graph);
  assert.deepEqual(inWorker.history.map((h) => h.loss), here.history.map((h) => h.loss));
});

test('worker errors come back with their code; abort stops training', async () => {
  const bad: EngineInput = { ...regression(), layers: [{ type: 'conv1d', filters: 2, kernelSize: 3 }] };
  await assert.rejects(trainGraphInWorker(bad, { backend: 'wasm' }), (e) => isEdgehiveError(e, 'EH_MODEL_UNSUPPORTED') && /conv1d/.test(e.message));
  const ac = new AbortController();
  const started = trainGraphInWorker(regression({ epochs: 10_000 }), { backend: 'wasm', signal: ac.signal, onProgress: () => ac.abort() });
  await assert.rejects(started, (e) => isEdgehiveError(e, 'EH_TRAINING_FAILED') && e.details?.aborted === true);
  const ac2 = new AbortController();
  const here = trainGraph(regression({ epochs: 10_000 }), { backend: 'wasm', signal: ac2.signal, onProgress: () => ac2.abort() });
  await assert.rejects(here, (e) => isEdgehiveError(e, 'EH_TRAINING_FAILED') && e.details?.aborted === true);
});

test('no tensors leak: the count stays flat across epochs and returns to where it was', async () => {
  await selectBackend('wasm');
  const before = tf.memory().numTensors;
  const counts: number[] = [];
  const layers: LayerSpec[] = [{ type: 'dense', units: 4, activation: 'relu' }, { type: 'batchNorm' }, { type: 'dropout', rate: 0.2 }, { type: 'dense', units: 1 }];
  const { x, y } = linearTask(64, 5);
  await trainGraph({ ...regression({ epochs: 6, earlyStopping: { patience: 100 } }, { x: { data: x, shape: [64, 2] }, y: { data: y, shape: [64, 1] } }), layers },
    { backend: 'wasm', onProgress: () => counts.push(tf.memory().numTensors) });
  assert.equal(new Set(counts.slice(1)).size, 1, `tensor counts per epoch: ${counts.join(', ')}`);
  assert.equal(tf.memory().numTensors, before);
});
