/**
 * A ModelGraph as a standard TensorFlow.js LayersModel: a tf.sequential of tf.layers (dense,
 * conv1d, maxPooling1d, averagePooling1d, globalAveragePooling1d, flatten, reshape,
 * batchNormalization, dropout, activation) carrying the graph's weights. The inverse of
 * layersModelToGraph (layers-model.ts): the graph's layouts are Keras' own (channels last; dense
 * kernel [in, units], conv1d kernel [kernelSize, inChannels, filters], batch norm vectors over the
 * last axis), so each node's weights go into its layer's setWeights unchanged.
 *
 * What a TensorFlow.js user would run for the same trained model: bench:inference times it next to
 * the trainer's own forward pass (createTfPredictor), and it lets a hub model be handed to
 * TF.js tooling (model.save, tfjs-converter) as a LayersModel.
 *
 * The model's variables live on the active TF.js backend; the caller disposes the model.
 */
import * as tf from '@tensorflow/tfjs';
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { GraphNode, ModelGraph, WeightTensor } from '../model/graph.ts';

/** The tf.layers layer for one node, and the weights it takes in setWeights order. */
function layerFor(node: GraphNode): { layer: tf.layers.Layer; weights: readonly WeightTensor[] } {
  switch (node.kind) {
    case 'dense':
      return { layer: tf.layers.dense({ units: node.units, activation: node.activation, useBias: true }), weights: [node.kernel, node.bias] };
    case 'conv1d':
      return {
        layer: tf.layers.conv1d({ filters: node.filters, kernelSize: node.kernelSize, strides: node.stride, padding: node.padding, activation: node.activation, useBias: true }),
        weights: [node.kernel, node.bias],
      };
    case 'maxPool1d':
      return { layer: tf.layers.maxPooling1d({ poolSize: node.poolSize, strides: node.stride, padding: 'valid' }), weights: [] };
    case 'avgPool1d':
      return { layer: tf.layers.averagePooling1d({ poolSize: node.poolSize, strides: node.stride, padding: 'valid' }), weights: [] };
    case 'globalAvgPool1d':
      return { layer: tf.layers.globalAveragePooling1d({}), weights: [] };
    case 'flatten':
      return { layer: tf.layers.flatten(), weights: [] };
    case 'reshape':
      return { layer: tf.layers.reshape({ targetShape: [...node.shape] }), weights: [] };
    case 'batchNorm':
      // Keras' order: gamma, beta, moving_mean, moving_variance (center and scale both on).
      return {
        layer: tf.layers.batchNormalization({ axis: -1, epsilon: node.epsilon, center: true, scale: true }),
        weights: [node.gamma, node.beta, node.movingMean, node.movingVariance],
      };
    case 'dropout':
      return { layer: tf.layers.dropout({ rate: node.rate }), weights: [] };
    case 'activation':
      return { layer: tf.layers.activation({ activation: node.activation }), weights: [] };
    default: {
      const kind: string = (node as { kind: string }).kind;
      throw new EdgehiveError('EH_MODEL_UNSUPPORTED', `graph node kind '${kind}' has no TensorFlow.js layer here`, { kind });
    }
  }
}

/** Disposes what was built so far; a half-built model's own complaint must not hide the real error. */
function disposeQuietly(model: tf.Sequential): void {
  try {
    model.dispose();
  } catch {
    // Nothing more to release.
  }
}

const sameShape = (a: readonly (number | null)[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * Builds `graph` as a tf.Sequential (named after the graph) with its weights set; in inference
 * (model.predict) it computes the graph's function. Throws EH_MODEL_INVALID when a node's weights
 * do not fit the layer TF.js builds for it, EH_MODEL_UNSUPPORTED for an unknown node kind.
 */
export function graphToLayersModel(graph: ModelGraph): tf.Sequential {
  if (graph.layers.length === 0) throw new EdgehiveError('EH_MODEL_INVALID', `model '${graph.name}' has no layers`);
  const model = tf.sequential({ name: graph.name });
  try {
    model.add(tf.layers.inputLayer({ inputShape: [...graph.inputShape] }));
    graph.layers.forEach((node, i) => {
      const { layer, weights } = layerFor(node);
      model.add(layer);
      const have = layer.weights;
      if (have.length !== weights.length) {
        throw new EdgehiveError('EH_MODEL_INVALID', `layer ${i} (${node.kind}): TF.js builds ${have.length} weights, the graph has ${weights.length}`, { layer: i });
      }
      have.forEach((v, k) => {
        const w = weights[k]!;
        if (!sameShape(v.shape, w.shape) || w.data.length !== w.shape.reduce((a, b) => a * b, 1)) {
          throw new EdgehiveError('EH_MODEL_INVALID', `layer ${i} (${node.kind}): weight '${v.originalName}' is [${v.shape.join(', ')}] in TF.js, the graph's is [${w.shape.join(', ')}] with ${w.data.length} values`, { layer: i });
        }
      });
      if (weights.length > 0) {
        const tensors = weights.map((w) => tf.tensor(w.data, [...w.shape], 'float32'));
        try {
          layer.setWeights(tensors);
        } finally {
          // setWeights copies into the layer's variables.
          tf.dispose(tensors);
        }
      }
    });
  } catch (e) {
    disposeQuietly(model);
    throw e;
  }
  const out = model.outputs[0]?.shape.slice(1) ?? [];
  if (!sameShape(out, graph.outputShape)) {
    model.dispose();
    throw new EdgehiveError('EH_MODEL_INVALID', `model '${graph.name}' states output [${graph.outputShape.join(', ')}] per sample but its layers give [${out.join(', ')}] in TF.js`);
  }
  return model;
}
