/**
 * ONNX export parity with TensorFlow.js itself: small tf.sequential models built with tf.layers,
 * converted (layersModelToGraph), exported (exportOnnx) and run in onnxruntime-node, compared
 * with model.predict on held-out random inputs within 1e-4; every export also passes
 * onnx.checker's full check where python3-onnx is installed. Weights are set from a seeded
 * generator (BN with non-trivial moving statistics, so folding is really exercised).
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { isEdgehiveError } from '../../shared/errors/index.ts';
import { checkParity, exportOnnx, layersModelToGraph } from '../../cloud-hub/export/index.ts';
import { decodeModel } from '../../cloud-hub/onnx/index.ts';
import { checkOnnxModel, onnxCheckerSkip } from '../support/onnx-checker.ts';
import { seeded } from '../support/seeded.ts';

const rng = seeded;

function randomWeights(model: tf.LayersModel, seed: number): void {
  const r = rng(seed);
  model.setWeights(model.weights.map((w) => {
    const shape = w.shape.map((d) => d ?? 1);
    const n = shape.reduce((a, b) => a * b, 1);
    const positive = /(moving_variance|gamma)$/.test(w.originalName);
    const data = Float32Array.from({ length: n }, () => (positive ? 0.5 + r() : r() - 0.5));
    return tf.tensor(data, shape);
  }));
}

function input(shape: readonly number[], batch: number, seed: number): { data: Float32Array; dims: number[] } {
  const r = rng(seed);
  const dims = [batch, ...shape];
  return { data: Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => 4 * r() - 2), dims };
}

function opTypes(bytes: Uint8Array): string[] {
  return (decodeModel(bytes).graph?.node ?? []).map((n) => n.opType ?? '');
}

const checkerSkip = onnxCheckerSkip();

/** Converts, exports, checks and compares; returns the op types of the export. */
async function roundTrip(model: tf.LayersModel, seed: number, batch = 3): Promise<string[]> {
  randomWeights(model, seed);
  const graph = layersModelToGraph(model);
  const bytes = exportOnnx(graph);
  if (!checkerSkip) checkOnnxModel(bytes);
  const x = input(graph.inputShape, batch, seed + 1);
  const report = await checkParity(model, bytes, x, 1e-4);
  assert.ok(report.maxAbsDiff <= 1e-4, `max diff ${report.maxAbsDiff}`);
  // One sample too: the batch axis is dynamic.
  await checkParity(model, bytes, input(graph.inputShape, 1, seed + 2), 1e-4);
  return opTypes(bytes);
}

function seq(layers: tf.layers.Layer[]): tf.Sequential {
  return tf.sequential({ layers });
}

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(isEdgehiveError(e, 'EH_MODEL_UNSUPPORTED'), `expected EH_MODEL_UNSUPPORTED, got ${String(e)}`);
    return e.message;
  }
  return assert.fail('expected a refusal');
}

describe('TF.js LayersModel → ONNX parity', () => {
  before(async () => {
    tf.enableProdMode();
    await tf.setBackend('cpu');
    await tf.ready();
  });

  if (checkerSkip) test('onnx.checker', (t) => t.skip(checkerSkip));

  test('dense stack with every activation, Gemm on rank-2 input', async () => {
    const ops = await roundTrip(seq([
      tf.layers.dense({ inputShape: [6], units: 5, activation: 'relu' }),
      tf.layers.dense({ units: 5, activation: 'tanh' }),
      tf.layers.dense({ units: 4, activation: 'sigmoid', useBias: false }),
      tf.layers.dense({ units: 4, activation: 'linear' }),
      tf.layers.dense({ units: 3, activation: 'softmax' }),
    ]), 1);
    assert.deepEqual(ops, ['Gemm', 'Relu', 'Gemm', 'Tanh', 'Gemm', 'Sigmoid', 'Gemm', 'Gemm', 'Softmax']);
  });

  test('dense on a sequence applies to the last axis (MatMul + Add), softmax over channels', async () => {
    const ops = await roundTrip(seq([
      tf.layers.dense({ inputShape: [5, 3], units: 4, activation: 'softmax' }),
    ]), 2);
    assert.deepEqual(ops, ['MatMul', 'Add', 'Softmax']);
  });

  for (const padding of ['valid', 'same'] as const) {
    for (const strides of [1, 2]) {
      test(`conv1d padding ${padding} stride ${strides}, then flatten and dense`, async () => {
        const ops = await roundTrip(seq([
          tf.layers.conv1d({ inputShape: [13, 3], filters: 4, kernelSize: 4, strides, padding, activation: 'relu' }),
          tf.layers.conv1d({ filters: 2, kernelSize: 3, strides, padding }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 2 }),
        ]), 10 + strides + (padding === 'same' ? 5 : 0));
        assert.deepEqual(ops, ['Transpose', 'Conv', 'Relu', 'Conv', 'Transpose', 'Flatten', 'Gemm']);
      });
    }
  }

  test('max and average pooling with stride ≠ pool size; one Transpose into the conv block, one out', async () => {
    const ops = await roundTrip(seq([
      tf.layers.conv1d({ inputShape: [16, 2], filters: 3, kernelSize: 3, activation: 'tanh' }),
      tf.layers.maxPooling1d({ poolSize: 3, strides: 2 }),
      tf.layers.averagePooling1d({ poolSize: 2, strides: 3 }),
    ]), 20);
    assert.deepEqual(ops, ['Transpose', 'Conv', 'Tanh', 'MaxPool', 'AveragePool', 'Transpose']);
  });

  test('pooling straight on the input, softmax on a channels-first sequence', async () => {
    const ops = await roundTrip(seq([
      tf.layers.averagePooling1d({ inputShape: [9, 3], poolSize: 2 }),
      tf.layers.activation({ activation: 'softmax' }),
    ]), 21);
    assert.deepEqual(ops, ['Transpose', 'AveragePool', 'Softmax', 'Transpose']);
  });

  test('global average pooling after a conv and on a channels-last sequence', async () => {
    const afterConv = await roundTrip(seq([
      tf.layers.conv1d({ inputShape: [10, 2], filters: 4, kernelSize: 3, padding: 'same' }),
      tf.layers.globalAveragePooling1d({}),
      tf.layers.dense({ units: 3, activation: 'softmax' }),
    ]), 30);
    assert.deepEqual(afterConv, ['Transpose', 'Conv', 'GlobalAveragePool', 'Flatten', 'Gemm', 'Softmax']);
    const onInput = await roundTrip(seq([tf.layers.globalAveragePooling1d({ inputShape: [7, 3] })]), 31);
    assert.deepEqual(onInput, ['ReduceMean']);
  });

  test('reshape (with a -1 dimension) back to a sequence, then a conv', async () => {
    await roundTrip(seq([
      tf.layers.dense({ inputShape: [6], units: 12, activation: 'relu' }),
      tf.layers.reshape({ targetShape: [4, 3] }),
      tf.layers.conv1d({ filters: 2, kernelSize: 2 }),
      tf.layers.reshape({ targetShape: [6] }),
    ]), 40);
    // A -1 cannot precede layers that need a known shape in TF.js, so it ends the stack here.
    const ops = await roundTrip(seq([tf.layers.reshape({ inputShape: [4, 3], targetShape: [-1, 2] })]), 41);
    assert.deepEqual(ops, ['Reshape']);
  });

  test('batch norm after dense and after conv1d is folded: no BatchNormalization, Mul or Add', async () => {
    const ops = await roundTrip(seq([
      tf.layers.conv1d({ inputShape: [8, 3], filters: 4, kernelSize: 3 }),
      tf.layers.batchNormalization({ epsilon: 1e-3 }),
      tf.layers.activation({ activation: 'relu' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 5, useBias: false }),
      tf.layers.batchNormalization({ epsilon: 0.01 }),
      tf.layers.dense({ units: 2, activation: 'sigmoid' }),
    ]), 50);
    assert.deepEqual(ops, ['Transpose', 'Conv', 'Relu', 'Transpose', 'Flatten', 'Gemm', 'Gemm', 'Sigmoid']);
  });

  test('batch norm that cannot be folded (after an activation, on the input, channels-first) is a per-channel Mul + Add', async () => {
    const ops = await roundTrip(seq([
      tf.layers.batchNormalization({ inputShape: [6, 3] }),
      tf.layers.conv1d({ filters: 4, kernelSize: 2, activation: 'relu' }),
      tf.layers.batchNormalization({ center: false }),
      tf.layers.globalAveragePooling1d({}),
      tf.layers.dense({ units: 3, activation: 'relu' }),
      tf.layers.batchNormalization({ scale: false }),
    ]), 60);
    assert.ok(!ops.includes('BatchNormalization'));
    assert.deepEqual(ops, ['Mul', 'Add', 'Transpose', 'Conv', 'Relu', 'Mul', 'Add', 'GlobalAveragePool', 'Flatten', 'Gemm', 'Relu', 'Mul', 'Add']);
  });

  test('dropout is removed; a model of only dropout is an Identity', async () => {
    const ops = await roundTrip(seq([
      tf.layers.dense({ inputShape: [4], units: 3 }),
      tf.layers.dropout({ rate: 0.5 }),
      tf.layers.dense({ units: 2, activation: 'softmax' }),
    ]), 70);
    assert.deepEqual(ops, ['Gemm', 'Gemm', 'Softmax']);
    assert.deepEqual(await roundTrip(seq([tf.layers.dropout({ inputShape: [4], rate: 0.2 })]), 71), ['Identity']);
  });

  test('a 1D-CNN classifier like the recipes build', async () => {
    await roundTrip(seq([
      tf.layers.conv1d({ inputShape: [32, 4], filters: 8, kernelSize: 5, padding: 'same', activation: 'relu' }),
      tf.layers.batchNormalization({}),
      tf.layers.maxPooling1d({ poolSize: 2 }),
      tf.layers.conv1d({ filters: 8, kernelSize: 3, strides: 2, activation: 'relu' }),
      tf.layers.dropout({ rate: 0.3 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 16, activation: 'relu' }),
      tf.layers.dense({ units: 4, activation: 'softmax' }),
    ]), 80, 8);
  });
});

describe('TF.js LayersModel refusals', () => {
  test('an LSTM layer is refused by name and class, listing what is supported', () => {
    const model = seq([tf.layers.lstm({ inputShape: [5, 2], units: 3, name: 'lstm_1' }), tf.layers.dense({ units: 1 })]);
    const msg = refusal(() => layersModelToGraph(model));
    assert.match(msg, /layer 'lstm_1' of class LSTM is not supported by the ONNX exporter; supported: Dense, Conv1D/);
  });

  test('other layer classes (conv2d, embedding) are refused', () => {
    assert.match(refusal(() => layersModelToGraph(seq([tf.layers.conv2d({ inputShape: [4, 4, 1], filters: 1, kernelSize: 2 })]))), /class Conv2D/);
    assert.match(refusal(() => layersModelToGraph(seq([tf.layers.embedding({ inputShape: [4], inputDim: 5, outputDim: 2 })]))), /class Embedding/);
  });

  test('unsupported options are refused with the option named', () => {
    const dilated = seq([tf.layers.conv1d({ inputShape: [8, 1], filters: 1, kernelSize: 2, dilationRate: 2 })]);
    assert.match(refusal(() => layersModelToGraph(dilated)), /dilationRate \[2\].*supported: 1/);
    const causal = seq([tf.layers.conv1d({ inputShape: [8, 1], filters: 1, kernelSize: 2, padding: 'causal' })]);
    assert.match(refusal(() => layersModelToGraph(causal)), /padding "causal"/);
    const samePool = seq([tf.layers.maxPooling1d({ inputShape: [8, 1], poolSize: 2, padding: 'same' })]);
    assert.match(refusal(() => layersModelToGraph(samePool)), /padding "same".*supported: 'valid'/);
    const elu = seq([tf.layers.dense({ inputShape: [3], units: 2, activation: 'elu' })]);
    assert.match(refusal(() => layersModelToGraph(elu)), /activation "elu"/);
  });

  test('a branching functional model is refused', () => {
    const x = tf.input({ shape: [4] });
    const a = tf.layers.dense({ units: 2 }).apply(x) as tf.SymbolicTensor;
    const b = tf.layers.dense({ units: 2 }).apply(x) as tf.SymbolicTensor;
    const model = tf.model({ inputs: x, outputs: tf.layers.add().apply([a, b]) as tf.SymbolicTensor });
    assert.match(refusal(() => layersModelToGraph(model)), /sequential stack/);
  });

  test('a straight functional model converts like a sequential one', async () => {
    const x = tf.input({ shape: [4] });
    const y = tf.layers.dense({ units: 2, activation: 'tanh' }).apply(x) as tf.SymbolicTensor;
    const model = tf.model({ inputs: x, outputs: y });
    assert.deepEqual(await roundTrip(model, 90), ['Gemm', 'Tanh']);
  });
});
