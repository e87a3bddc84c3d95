/**
 * Layers as TensorFlow.js variables plus a forward function, built Keras-style from the shape
 * that reaches them (weights sized from the actual input), with the weight layouts of
 * model/graph.ts so that what the exporter writes computes the same function:
 * dense kernel [in, units]; conv1d kernel [kernelSize, inChannels, filters]; batchNorm vectors
 * over the last axis.
 */
import * as tf from '@tensorflow/tfjs';
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { LayerSpec } from '../recipes/schema.ts';
import type { GraphNode, WeightTensor } from '../model/graph.ts';
import { filled, glorotUniform, type Prng } from './init.ts';
import { applyActivation, conv1dGeometry, conv1dMatMul, denseLastAxis, pool1d } from './tf-ops.ts';

export const BN_DEFAULT_EPSILON = 1e-3;
export const BN_DEFAULT_MOMENTUM = 0.99;

export interface ForwardContext {
  readonly training: boolean;
  /** Dropout masks draw seeds from here; required when training with dropout. */
  readonly rng?: Prng;
}

export interface EngineLayer {
  readonly spec: LayerSpec;
  /** Per-sample output shape (no batch axis). */
  readonly outputShape: readonly number[];
  /** Trained by the optimizer. */
  readonly trainable: readonly tf.Variable[];
  /** Updated by the forward pass in training (batchNorm moving statistics). */
  readonly state: readonly tf.Variable[];
  apply(x: tf.Tensor, ctx: ForwardContext): tf.Tensor;
  /** Layers that end in softmax: the output before it (cross-entropy from logits is stable). */
  readonly logits?: (x: tf.Tensor) => tf.Tensor;
  toNode(): GraphNode;
}

/** Initial weights come from the seeded generator, or from a trained graph's node. */
export type WeightSource = { readonly kind: 'init'; readonly rng: Prng } | { readonly kind: 'node'; readonly node: GraphNode };

const product = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

function unsupported(i: number, spec: LayerSpec, why: string): EdgehiveError {
  return new EdgehiveError('EH_MODEL_UNSUPPORTED', `layer ${i} (${spec.type}): ${why}`, { layer: i, type: spec.type });
}

function copyOut(v: tf.Variable): WeightTensor {
  return { shape: [...v.shape], data: Float32Array.from(v.dataSync() as Float32Array) };
}

let variableSerial = 0;

/** A variable from the source: `init()` for a fresh layer, or the node's weight `key`, checked against `shape`. */
function weight(i: number, spec: LayerSpec, src: WeightSource, key: string, shape: number[], init: () => Float32Array, trainable = true): tf.Variable {
  let data: Float32Array;
  if (src.kind === 'init') data = init();
  else {
    const w = (src.node as unknown as Record<string, WeightTensor | undefined>)[key];
    if (w === undefined || w.data.length !== product(shape) || w.shape.length !== shape.length || w.shape.some((d, k) => d !== shape[k])) {
      throw new EdgehiveError('EH_MODEL_INVALID', `layer ${i} (${spec.type}): weight '${key}' should have shape [${shape.join(', ')}], has ${w ? `[${w.shape.join(', ')}]` : 'none'}`, { layer: i });
    }
    data = w.data;
  }
  // Unique names: tf keeps a global registry of variable names per backend.
  const initial = tf.tensor(data, shape, 'float32');
  // The variable shares the data; the initial tensor object would otherwise stay counted forever.
  const v = tf.variable(initial, trainable, `eh_${key}_${++variableSerial}`);
  initial.dispose();
  return v;
}

/** Builds layer `i` of `spec` for per-sample input shape `inShape`. */
export function buildLayer(i: number, spec: LayerSpec, inShape: readonly number[], src: WeightSource): EngineLayer {
  const rng = src.kind === 'init' ? src.rng : undefined;
  const simple = (outputShape: readonly number[], apply: EngineLayer['apply'], toNode: () => GraphNode): EngineLayer =>
    ({ spec, outputShape, trainable: [], state: [], apply, toNode });
  const needSeq = (): [number, number] => {
    if (inShape.length !== 2) throw unsupported(i, spec, `needs a [time, channels] input, gets [${inShape.join(', ')}]`);
    return [inShape[0]!, inShape[1]!];
  };

  switch (spec.type) {
    case 'dense': {
      const inDim = inShape[inShape.length - 1]!;
      const act = spec.activation ?? 'linear';
      const kernel = weight(i, spec, src, 'kernel', [inDim, spec.units], () => glorotUniform(rng!, inDim * spec.units, inDim, spec.units));
      const bias = weight(i, spec, src, 'bias', [spec.units], () => filled(spec.units, 0));
      return {
        spec, outputShape: [...inShape.slice(0, -1), spec.units], trainable: [kernel, bias], state: [],
        apply: (x) => denseLastAxis(x, kernel as tf.Tensor as tf.Tensor2D, bias as tf.Tensor as tf.Tensor1D, act),
        ...(act === 'softmax' ? { logits: (x: tf.Tensor) => denseLastAxis(x, kernel as tf.Tensor as tf.Tensor2D, bias as tf.Tensor as tf.Tensor1D, 'linear') } : {}),
        toNode: () => ({ kind: 'dense', units: spec.units, activation: act, kernel: copyOut(kernel), bias: copyOut(bias) }),
      };
    }
    case 'conv1d': {
      const [t, c] = needSeq();
      const stride = spec.stride ?? 1;
      const padding = spec.padding ?? 'valid';
      const act = spec.activation ?? 'linear';
      const { outLen } = conv1dGeometry(t, spec.kernelSize, stride, padding);
      if (outLen < 1) throw unsupported(i, spec, `kernel ${spec.kernelSize} is longer than its input (${t} steps): shorten it or use padding 'same'`);
      const k = spec.kernelSize;
      const f = spec.filters;
      // Keras' fans for a conv kernel: receptive field × channels in / out.
      const kernel = weight(i, spec, src, 'kernel', [k, c, f], () => glorotUniform(rng!, k * c * f, k * c, k * f));
      const bias = weight(i, spec, src, 'bias', [f], () => filled(f, 0));
      return {
        spec, outputShape: [outLen, f], trainable: [kernel, bias], state: [],
        apply: (x) => conv1dMatMul(x as tf.Tensor3D, kernel as tf.Tensor as tf.Tensor3D, bias as tf.Tensor as tf.Tensor1D, stride, padding, act),
        toNode: () => ({ kind: 'conv1d', filters: f, kernelSize: k, stride, padding, activation: act, kernel: copyOut(kernel), bias: copyOut(bias) }),
      };
    }
    case 'maxPool1d':
    case 'avgPool1d': {
      const [t, c] = needSeq();
      const stride = spec.stride ?? spec.poolSize;
      const outLen = Math.floor((t - spec.poolSize) / stride) + 1;
      if (outLen < 1) throw unsupported(i, spec, `pool ${spec.poolSize} is longer than its input (${t} steps)`);
      const kind = spec.type;
      return simple([outLen, c], (x) => pool1d(x as tf.Tensor3D, kind, spec.poolSize, stride), () => ({ kind, poolSize: spec.poolSize, stride }));
    }
    case 'globalAvgPool1d': {
      const [, c] = needSeq();
      return simple([c], (x) => tf.mean(x, 1), () => ({ kind: 'globalAvgPool1d' }));
    }
    case 'flatten': {
      const n = product(inShape);
      return simple([n], (x) => tf.reshape(x, [x.shape[0]!, n]), () => ({ kind: 'flatten' }));
    }
    case 'reshape': {
      if (product(spec.shape) !== product(inShape)) {
        throw unsupported(i, spec, `cannot reshape [${inShape.join(', ')}] (${product(inShape)} values) to [${spec.shape.join(', ')}] (${product(spec.shape)})`);
      }
      const shape = [...spec.shape];
      return simple(shape, (x) => tf.reshape(x, [x.shape[0]!, ...shape]), () => ({ kind: 'reshape', shape }));
    }
    case 'batchNorm':
      return buildBatchNorm(i, spec, inShape, src);
    case 'dropout': {
      const rate = spec.rate;
      return simple(inShape, (x, ctx) => {
        if (!ctx.training || rate === 0) return x;
        if (ctx.rng === undefined) throw new EdgehiveError('EH_TRAINING_FAILED', 'dropout in training needs the seeded generator');
        return tf.dropout(x, rate, undefined, ctx.rng.nextSeed());
      }, () => ({ kind: 'dropout', rate }));
    }
    case 'activation': {
      const act = spec.activation;
      const layer = simple(inShape, (x) => applyActivation(x, act), () => ({ kind: 'activation', activation: act }));
      return act === 'softmax' ? { ...layer, logits: (x) => x } : layer;
    }
  }
}

function buildBatchNorm(i: number, spec: Extract<LayerSpec, { type: 'batchNorm' }>, inShape: readonly number[], src: WeightSource): EngineLayer {
  const ch = inShape[inShape.length - 1]!;
  const eps = spec.epsilon ?? BN_DEFAULT_EPSILON;
  const momentum = spec.momentum ?? BN_DEFAULT_MOMENTUM;
  const gamma = weight(i, spec, src, 'gamma', [ch], () => filled(ch, 1));
  const beta = weight(i, spec, src, 'beta', [ch], () => filled(ch, 0));
  const movingMean = weight(i, spec, src, 'movingMean', [ch], () => filled(ch, 0), false);
  const movingVariance = weight(i, spec, src, 'movingVariance', [ch], () => filled(ch, 1), false);
  const axes = Array.from({ length: inShape.length }, (_, k) => k); // batch and every axis but the last
  return {
    spec, outputShape: inShape, trainable: [gamma, beta], state: [movingMean, movingVariance],
    apply: (x, ctx) => {
      if (!ctx.training) return tf.batchNorm(x, movingMean, movingVariance, beta, gamma, eps);
      const { mean, variance } = tf.moments(x, axes);
      // Moving statistics as Keras: m ← m·momentum + batch·(1 − momentum); off the loss path, so no
      // gradient flows through the update.
      tf.tidy(() => {
        movingMean.assign(tf.add(tf.mul(movingMean, momentum), tf.mul(mean, 1 - momentum)));
        movingVariance.assign(tf.add(tf.mul(movingVariance, momentum), tf.mul(variance, 1 - momentum)));
      });
      return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))), gamma), beta);
    },
    toNode: () => ({ kind: 'batchNorm', epsilon: eps, gamma: copyOut(gamma), beta: copyOut(beta), movingMean: copyOut(movingMean), movingVariance: copyOut(movingVariance) }),
  };
}

/** The recipe-side spec of a trained node (for rebuilding it from a graph). */
export function nodeToSpec(node: GraphNode): LayerSpec {
  switch (node.kind) {
    case 'dense': return { type: 'dense', units: node.units, activation: node.activation };
    case 'conv1d': return { type: 'conv1d', filters: node.filters, kernelSize: node.kernelSize, stride: node.stride, padding: node.padding, activation: node.activation };
    case 'maxPool1d': case 'avgPool1d': return { type: node.kind, poolSize: node.poolSize, stride: node.stride };
    case 'globalAvgPool1d': return { type: 'globalAvgPool1d' };
    case 'flatten': return { type: 'flatten' };
    case 'reshape': return { type: 'reshape', shape: [...node.shape] };
    case 'batchNorm': return { type: 'batchNorm', epsilon: node.epsilon };
    case 'dropout': return { type: 'dropout', rate: node.rate };
    case 'activation': return { type: 'activation', activation: node.activation };
  }
}
