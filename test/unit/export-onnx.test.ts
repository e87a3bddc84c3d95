/**
 * exportOnnx on ModelGraphs written by hand: the model's envelope (IR 8, opset 17, dynamic batch,
 * names, metadata), TensorFlow's 'same' padding, refusals (unknown node kind, damaged weights),
 * and parity with the trainer's own TF.js engine (TfModel.fromGraph) for every node kind,
 * including batch norm both folded and kept. TF.js LayersModel parity is in
 * export-layers-model.test.ts.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { isEdgehiveError } from '../../shared/errors/index.ts';
import { checkParity, exportOnnx, samePads } from '../../cloud-hub/export/index.ts';
import { decodeModel, type onnx } from '../../cloud-hub/onnx/index.ts';
import type { GraphNode, ModelGraph, WeightTensor } from '../../cloud-hub/model/graph.ts';
import { outputShapeOf, nodeToLayerSpec } from '../../cloud-hub/model/shapes.ts';
import { predictGraph } from '../../cloud-hub/trainer/predict.ts';
import { OnnxSession } from '../../shared/inference/onnx-session.ts';
import { checkOnnxModel, onnxCheckerSkip } from '../support/onnx-checker.ts';
import { seeded } from '../support/seeded.ts';

const rng = seeded;

const r = rng(7);
function w(shape: number[], offset = -0.5): WeightTensor {
  return { shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r() + offset) };
}
function dense(inDim: number, units: number, activation: 'linear' | 'relu' | 'tanh' | 'sigmoid' | 'softmax' = 'linear'): GraphNode {
  return { kind: 'dense', units, activation, kernel: w([inDim, units]), bias: w([units]) };
}
function conv(inC: number, filters: number, kernelSize: number, stride: number, padding: 'valid' | 'same', activation: 'linear' | 'relu' = 'linear'): GraphNode {
  return { kind: 'conv1d', filters, kernelSize, stride, padding, activation, kernel: w([kernelSize, inC, filters]), bias: w([filters]) };
}
function bn(c: number): GraphNode {
  return { kind: 'batchNorm', epsilon: 1e-3, gamma: w([c], 0.5), beta: w([c]), movingMean: w([c]), movingVariance: w([c], 0.5) };
}
function graph(name: string, inputShape: number[], layers: GraphNode[]): ModelGraph {
  return { name, inputShape, outputShape: outputShapeOf(inputShape, layers.map(nodeToLayerSpec)), layers };
}
function input(shape: readonly number[], batch: number, seed: number): { data: Float32Array; dims: number[] } {
  const g = rng(seed);
  const dims = [batch, ...shape];
  return { data: Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => 4 * g() - 2), dims };
}

const checkerSkip = onnxCheckerSkip();
function exported(g: ModelGraph, options?: Parameters<typeof exportOnnx>[1]): { bytes: Uint8Array; model: onnx.ModelProto } {
  const bytes = exportOnnx(g, options);
  if (!checkerSkip) checkOnnxModel(bytes);
  return { bytes, model: decodeModel(bytes) };
}

function dims(v: onnx.IValueInfoProto | undefined): (number | string)[] {
  return (v?.type?.tensorType?.shape?.dim ?? []).map((d) => d.dimParam || Number(d.dimValue));
}

function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    assert.ok(isEdgehiveError(e), `expected an EdgehiveError, got ${String(e)}`);
    return { code: e.code, message: e.message };
  }
  return assert.fail('expected an error');
}

const cnn = graph('cnn', [16, 3], [
  conv(3, 4, 3, 1, 'same'), bn(4), { kind: 'activation', activation: 'relu' },
  { kind: 'maxPool1d', poolSize: 2, stride: 2 },
  conv(4, 4, 3, 2, 'valid', 'relu'), bn(4),
  { kind: 'avgPool1d', poolSize: 2, stride: 1 },
  { kind: 'dropout', rate: 0.25 }, { kind: 'flatten' },
  dense(8, 6, 'tanh'), bn(6), dense(6, 3, 'softmax'),
]);

describe('exportOnnx: the model envelope', () => {
  if (checkerSkip) test('onnx.checker', (t) => t.skip(checkerSkip));

  test('IR 8, opset 17, producer, doc string, metadata; input and output with a symbolic batch axis', () => {
    const { model } = exported(cnn, { producerVersion: '0.1.0', docString: 'test model', metadata: { recipe: 'pump-cnn', classes: 'a,b,c' } });
    assert.equal(Number(model.irVersion), 8);
    assert.deepEqual(model.opsetImport.map((o) => [o.domain ?? '', Number(o.version)]), [['', 17]]);
    assert.equal(model.producerName, 'edgehive');
    assert.equal(model.producerVersion, '0.1.0');
    assert.equal(model.docString, 'test model');
    assert.deepEqual(model.metadataProps.map((p) => [p.key, p.value]), [['recipe', 'pump-cnn'], ['classes', 'a,b,c']]);
    assert.equal(model.graph?.name, 'cnn');
    assert.deepEqual(model.graph?.input?.map((i) => i.name), ['input']);
    assert.deepEqual(model.graph?.output?.map((o) => o.name), ['output']);
    assert.deepEqual(dims(model.graph?.input?.[0]), ['batch', 16, 3]);
    assert.deepEqual(dims(model.graph?.output?.[0]), ['batch', 3]);
  });

  test('readable, stable initialiser names and unique node names; custom input/output names', () => {
    const { model } = exported(cnn, { inputName: 'x', outputName: 'y' });
    const inits = (model.graph?.initializer ?? []).map((t) => t.name);
    assert.deepEqual(inits, ['conv1d_0.kernel', 'conv1d_0.bias', 'conv1d_4.kernel', 'conv1d_4.bias', 'batchNorm_5.scale', 'batchNorm_5.shift', 'dense_9.kernel', 'dense_9.bias', 'batchNorm_10.scale', 'batchNorm_10.shift', 'dense_11.kernel', 'dense_11.bias']);
    const names = (model.graph?.node ?? []).map((n) => n.name ?? '');
    assert.ok(names.every((n) => n.length > 0));
    assert.equal(new Set(names).size, names.length);
    assert.deepEqual(model.graph?.node?.[0]?.input, ['x']);
    assert.deepEqual(model.graph?.node?.at(-1)?.output, ['y']);
    // Same graph, same bytes.
    assert.deepEqual(exportOnnx(cnn), exportOnnx(cnn));
  });

  test("TensorFlow's 'same' padding: the odd step goes on the right", () => {
    assert.deepEqual(samePads(10, 3, 1), [1, 1]);
    assert.deepEqual(samePads(10, 4, 1), [1, 2]);
    assert.deepEqual(samePads(11, 4, 2), [1, 2]);
    assert.deepEqual(samePads(12, 3, 2), [0, 1]);
    assert.deepEqual(samePads(5, 1, 2), [0, 0]);
    const { model } = exported(graph('pads', [11, 2], [conv(2, 1, 4, 2, 'same')]));
    const convNode = model.graph?.node?.find((n) => n.opType === 'Conv');
    assert.deepEqual(convNode?.attribute?.find((a) => a.name === 'pads')?.ints?.map(Number), [1, 2]);
  });
});

describe('exportOnnx: refusals', () => {
  test('an unknown node kind is refused, naming the layer index and kind and listing the supported kinds', () => {
    const g = { ...cnn, layers: [...cnn.layers.slice(0, 3), { kind: 'lstm', units: 4 } as unknown as GraphNode] };
    const e = errorOf(() => exportOnnx(g));
    assert.equal(e.code, 'EH_MODEL_UNSUPPORTED');
    assert.match(e.message, /layer 3 of kind 'lstm' is not supported by the ONNX exporter; supported: dense, conv1d, maxPool1d/);
  });

  test('weights that do not fit the layer and a wrong stated output shape are refused as invalid', () => {
    const bad = graph('bad', [4], [dense(4, 2)]);
    const e = errorOf(() => exportOnnx({ ...bad, layers: [{ ...(bad.layers[0] as GraphNode & { kind: 'dense' }), kernel: w([3, 2]) }] }));
    assert.equal(e.code, 'EH_MODEL_INVALID');
    assert.match(e.message, /layer 0 \(dense\): kernel has shape \[3, 2\] but the layer needs \[4, 2\]/);
    assert.equal(errorOf(() => exportOnnx({ ...bad, outputShape: [3] })).code, 'EH_MODEL_INVALID');
    const short: ModelGraph = { name: 'short', inputShape: [4, 2], outputShape: [1, 1], layers: [conv(2, 1, 5, 1, 'valid')] };
    assert.match(errorOf(() => exportOnnx(short)).message, /layer 0 \(conv1d\): kernelSize 5 is larger than the 4 time steps/);
  });
});

describe('exportOnnx: parity with the trainer engine (TfModel.fromGraph)', () => {
  before(async () => {
    tf.enableProdMode();
    await tf.setBackend('cpu');
    await tf.ready();
  });

  const cases: ModelGraph[] = [
    cnn,
    graph('gap', [9, 2], [conv(2, 3, 2, 1, 'valid', 'relu'), bn(3), { kind: 'globalAvgPool1d' }, dense(3, 2, 'sigmoid')]),
    graph('autoencoder', [6, 2], [{ kind: 'flatten' }, dense(12, 4, 'relu'), dense(4, 12), { kind: 'reshape', shape: [6, 2] }]),
    graph('seq-dense', [5, 3], [dense(3, 4, 'relu'), bn(4), { kind: 'activation', activation: 'softmax' }]),
    graph('empty', [3], []),
  ];
  for (const g of cases) {
    test(`${g.name}: ONNX Runtime matches TF.js within 1e-4 at batch 1 and 5`, async () => {
      const { bytes } = exported(g);
      for (const batch of [1, 5]) {
        const report = await checkParity(g, bytes, input(g.inputShape, batch, batch), 1e-4);
        assert.ok(report.maxAbsDiff <= 1e-4);
      }
    });
  }

  test('predictGraph (the trainer\'s TF.js inference) agrees with ONNX Runtime on the CNN', async () => {
    const x = input(cnn.inputShape, 4, 11);
    const want = await predictGraph(cnn, x.data, x.dims, 'cpu');
    const session = await OnnxSession.load(exportOnnx(cnn));
    try {
      const got = await session.run(x.data, x.dims);
      assert.deepEqual(got.dims, [4, ...cnn.outputShape]);
      const diff = want.reduce((m, v, i) => Math.max(m, Math.abs(v - (got.data[i] as number))), 0);
      assert.ok(diff <= 1e-4, `max diff ${diff}`);
    } finally {
      await session.close();
    }
  });

  test('BN after a linear dense/conv is folded; after an activation it stays as Mul + Add', () => {
    const { model } = exported(cnn);
    const ops = (model.graph?.node ?? []).map((n) => n.opType);
    assert.ok(!ops.includes('BatchNormalization'));
    assert.ok(!ops.includes('Dropout'));
    // bn(4) after conv_0 (linear) folds; bn(4) after the relu conv and bn(6) after the tanh dense do not.
    assert.equal(ops.filter((o) => o === 'Mul').length, 2);
    assert.equal(ops.filter((o) => o === 'Transpose').length, 2, `one in, one out of the conv block: ${ops.join(' ')}`);
  });

  test('a model that does not match its reference fails parity with EH_PARITY_FAILED and the difference', async () => {
    const g = graph('drift', [4], [dense(4, 2)]);
    const other = { ...g, layers: [dense(4, 2)] };
    const bytes = exportOnnx(other);
    await assert.rejects(checkParity(g, bytes, input([4], 2, 3)), (e: unknown) => isEdgehiveError(e, 'EH_PARITY_FAILED') && /differs from TensorFlow\.js by up to/.test(e.message));
  });

  test('parity is relative for large outputs: float32 rounding on values near 1e7 is not an export error', async () => {
    // A model fed raw, unnormalised counters (NAB's network bytes) outputs tens of millions,
    // where float32's spacing is 1 or more: summation order alone differs by more than 1e-4.
    const big = dense(16, 8);
    const scaled: GraphNode = { ...big, kernel: { shape: [16, 8], data: (big as { kernel: WeightTensor }).kernel.data.map((v) => v * 3e6) } } as GraphNode;
    const g = graph('counters', [16], [scaled]);
    const x = input([16], 4, 5);
    const report = await checkParity(g, exportOnnx(g), { data: x.data.map((v) => v * 10), dims: x.dims });
    assert.ok(report.maxAbsDiff < 64, `diff ${report.maxAbsDiff}`);
  });

  test('a small output out of large cancelling sums (a 1e5 spike) is float32 rounding, not an export error; a wrong model still fails there', async () => {
    // NAB's ec2_network_in_5abac7 robust-normalises to spikes near 1e5; an autoencoder's outputs
    // there are small differences of large sums, which ORT and TF.js add in different orders.
    // Built here: the second layer's rows are orthogonal to what the spike excites in the first.
    const g2 = rng(3);
    const w1 = Float32Array.from({ length: 32 * 16 }, () => g2() - 0.5);
    const spike = Array.from({ length: 16 }, (_, j) => w1[5 * 16 + j]!);
    const norm2 = spike.reduce((a, v) => a + v * v, 0);
    const w2 = new Float32Array(16 * 4);
    for (let o = 0; o < 4; o++) {
      const a = Array.from({ length: 16 }, () => g2() - 0.5);
      const dot = a.reduce((acc, v, j) => acc + v * spike[j]!, 0) / norm2;
      a.forEach((v, j) => { w2[j * 4 + o] = v - dot * spike[j]!; });
    }
    const zero = (n: number): WeightTensor => ({ shape: [n], data: new Float32Array(n) });
    const g = graph('spiky', [32, 1], [{ kind: 'flatten' },
      { kind: 'dense', units: 16, activation: 'linear', kernel: { shape: [32, 16], data: w1 }, bias: zero(16) },
      { kind: 'dense', units: 4, activation: 'linear', kernel: { shape: [16, 4], data: w2 }, bias: zero(4) }]);
    const x = Float32Array.from({ length: 64 * 32 }, () => g2() * 2 - 1);
    for (let k = 0; k < 64; k++) x[k * 32 + 5] = 99_374 * (g2() + 0.5);
    const report = await checkParity(g, exportOnnx(g), { data: x, dims: [64, 32, 1] });
    assert.ok(report.maxAbsDiff > 1e-4, `the case must exercise rounding beyond 1e-4 (got ${report.maxAbsDiff})`);
    // The same input through a model whose second layer is wrong (w2 negated): caught.
    const wrong = { ...g, layers: [g.layers[0]!, g.layers[1]!, { ...(g.layers[2] as GraphNode & { kind: 'dense' }), kernel: { shape: [16, 4], data: w2.map((v) => -v) } }] };
    await assert.rejects(checkParity(g, exportOnnx(wrong), { data: x, dims: [64, 32, 1] }), (e: unknown) => isEdgehiveError(e, 'EH_PARITY_FAILED'));
  });
});
