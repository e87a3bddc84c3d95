/**
 * graphToLayersModel, the inverse of layersModelToGraph: ModelGraphs written by hand (every node
 * kind, BN with non-trivial moving statistics) built as tf.sequential models of tf.layers; back
 * through layersModelToGraph they give the same graph (weights bit for bit), and model.predict
 * gives predictGraph's outputs (the trainer's own TF.js forward pass) within 1e-5 (relative above
 * |1|). Weights that do not fit their layer are refused.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { isEdgehiveError } from '../../shared/errors/index.ts';
import { graphToLayersModel, layersModelToGraph } from '../../cloud-hub/export/index.ts';
import type { GraphNode, ModelGraph, WeightTensor } from '../../cloud-hub/model/graph.ts';
import { nodeToLayerSpec, outputShapeOf } from '../../cloud-hub/model/shapes.ts';
import { predictGraph } from '../../cloud-hub/trainer/predict.ts';
import { seeded } from '../support/seeded.ts';

const rng = seeded;

const r = rng(5);
function w(shape: number[], offset = -0.5): WeightTensor {
  return { shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r() + offset) };
}
type Act = 'linear' | 'relu' | 'tanh' | 'sigmoid' | 'softmax';
function dense(inDim: number, units: number, activation: Act = 'linear'): GraphNode {
  return { kind: 'dense', units, activation, kernel: w([inDim, units]), bias: w([units]) };
}
function conv(inC: number, filters: number, kernelSize: number, stride: number, padding: 'valid' | 'same', activation: Act = 'linear'): GraphNode {
  return { kind: 'conv1d', filters, kernelSize, stride, padding, activation, kernel: w([kernelSize, inC, filters]), bias: w([filters]) };
}
function bn(c: number, epsilon = 1e-3): GraphNode {
  return { kind: 'batchNorm', epsilon, gamma: w([c], 0.5), beta: w([c]), movingMean: w([c]), movingVariance: w([c], 0.5) };
}
function graph(name: string, inputShape: number[], layers: GraphNode[]): ModelGraph {
  return { name, inputShape, outputShape: outputShapeOf(inputShape, layers.map(nodeToLayerSpec)), layers };
}
function input(shape: readonly number[], batch: number, seed: number): { data: Float32Array; dims: number[] } {
  const g = rng(seed);
  const dims = [batch, ...shape];
  return { data: Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => 4 * g() - 2), dims };
}

const cases: ModelGraph[] = [
  graph('cnn', [16, 3], [
    conv(3, 4, 3, 1, 'same'), bn(4), { kind: 'activation', activation: 'relu' },
    { kind: 'maxPool1d', poolSize: 2, stride: 2 },
    conv(4, 4, 3, 2, 'valid', 'relu'), bn(4, 1e-5),
    { kind: 'avgPool1d', poolSize: 2, stride: 1 },
    { kind: 'dropout', rate: 0.25 }, { kind: 'flatten' },
    dense(8, 6, 'tanh'), bn(6), dense(6, 3, 'softmax'),
  ]),
  graph('gap', [9, 2], [conv(2, 3, 2, 1, 'valid', 'relu'), { kind: 'maxPool1d', poolSize: 3, stride: 2 }, { kind: 'globalAvgPool1d' }, dense(3, 2, 'sigmoid')]),
  graph('autoencoder', [6, 2], [{ kind: 'flatten' }, dense(12, 4, 'relu'), dense(4, 12), { kind: 'reshape', shape: [6, 2] }]),
  graph('seq-dense', [5, 3], [dense(3, 4, 'relu'), bn(4), { kind: 'activation', activation: 'softmax' }, conv(4, 2, 5, 1, 'same', 'tanh')]),
];

/** Largest difference, relative above |1| (as the export parity check measures). */
function worst(got: Float32Array, want: Float32Array): number {
  assert.equal(got.length, want.length);
  return want.reduce((m, b, i) => Math.max(m, Math.abs((got[i] as number) - b) / Math.max(1, Math.abs(b))), 0);
}

describe('graphToLayersModel: ModelGraph → tf.LayersModel (tf.layers)', () => {
  before(async () => {
    tf.enableProdMode();
    await tf.setBackend('cpu');
    await tf.ready();
  });

  for (const g of cases) {
    test(`${g.name}: layersModelToGraph gives the same graph back, weights bit for bit`, () => {
      const model = graphToLayersModel(g);
      try {
        assert.equal(model.name, g.name);
        assert.deepEqual(layersModelToGraph(model), g);
      } finally {
        model.dispose();
      }
    });

    test(`${g.name}: model.predict equals predictGraph within 1e-5 at batch 1 and 7`, async () => {
      const model = graphToLayersModel(g);
      try {
        for (const batch of [1, 7]) {
          const x = input(g.inputShape, batch, 100 + batch);
          const want = await predictGraph(g, x.data, x.dims, 'cpu');
          const got = tf.tidy(() => {
            const y = model.predict(tf.tensor(x.data, x.dims)) as tf.Tensor;
            assert.deepEqual(y.shape, [batch, ...g.outputShape]);
            return Float32Array.from(y.dataSync() as Float32Array);
          });
          const d = worst(got, want);
          assert.ok(d <= 1e-5, `batch ${batch}: max difference ${d}`);
        }
      } finally {
        model.dispose();
      }
    });
  }

  test('disposing the model releases every tensor it made', () => {
    const before = tf.memory().numTensors;
    graphToLayersModel(cases[0]!).dispose();
    assert.equal(tf.memory().numTensors, before);
  });

  test('weights that do not fit their layer, and an empty graph, are refused as invalid', () => {
    const g = graph('bad', [4], [dense(4, 2)]);
    const wrong: ModelGraph = { ...g, layers: [{ ...(g.layers[0] as GraphNode & { kind: 'dense' }), kernel: w([3, 2]) }] };
    const before = tf.memory().numTensors;
    assert.throws(() => graphToLayersModel(wrong), (e: unknown) => isEdgehiveError(e, 'EH_MODEL_INVALID') && /layer 0 \(dense\): weight .*kernel.* is \[4, 2\] in TF\.js, the graph's is \[3, 2\]/.test(e.message));
    assert.equal(tf.memory().numTensors, before, 'a refused model leaves no tensors behind');
    assert.throws(() => graphToLayersModel({ name: 'empty', inputShape: [3], outputShape: [3], layers: [] }), (e: unknown) => isEdgehiveError(e, 'EH_MODEL_INVALID'));
  });
});
