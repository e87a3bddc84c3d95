/**
 * The trained model as plain data: what the trainer produces, what the exporter turns into ONNX,
 * what the registry stores. Independent of TensorFlow.js so that export, quantisation and tests
 * need no tensor library, and so that a model trained elsewhere (a tf.LayersModel) can be
 * converted into it and refused layer by layer where it has something we cannot export.
 *
 * Conventions are Keras' (channels last): one sample is [time, channels] or [units]; the batch
 * axis is implicit and dynamic. Weights are row-major Float32Arrays:
 *  - dense kernel [in, units], bias [units]; on a rank-3 input it applies to the last axis;
 *  - conv1d kernel [kernelSize, inChannels, filters], bias [filters];
 *  - batchNorm gamma/beta/movingMean/movingVariance [channels] (last axis).
 */
import type { Activation } from '../recipes/schema.ts';

export interface WeightTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export interface DenseNode { readonly kind: 'dense'; readonly units: number; readonly activation: Activation; readonly kernel: WeightTensor; readonly bias: WeightTensor }
export interface Conv1dNode {
  readonly kind: 'conv1d'; readonly filters: number; readonly kernelSize: number; readonly stride: number;
  readonly padding: 'valid' | 'same'; readonly activation: Activation; readonly kernel: WeightTensor; readonly bias: WeightTensor;
}
export interface Pool1dNode { readonly kind: 'maxPool1d' | 'avgPool1d'; readonly poolSize: number; readonly stride: number }
export interface GlobalAvgPool1dNode { readonly kind: 'globalAvgPool1d' }
export interface FlattenNode { readonly kind: 'flatten' }
export interface ReshapeNode { readonly kind: 'reshape'; readonly shape: readonly number[] }
export interface BatchNormNode {
  readonly kind: 'batchNorm'; readonly epsilon: number;
  readonly gamma: WeightTensor; readonly beta: WeightTensor; readonly movingMean: WeightTensor; readonly movingVariance: WeightTensor;
}
export interface DropoutNode { readonly kind: 'dropout'; readonly rate: number }
export interface ActivationNode { readonly kind: 'activation'; readonly activation: Activation }

export type GraphNode =
  | DenseNode | Conv1dNode | Pool1dNode | GlobalAvgPool1dNode | FlattenNode | ReshapeNode | BatchNormNode | DropoutNode | ActivationNode;
export type GraphNodeKind = GraphNode['kind'];

export const GRAPH_NODE_KINDS: readonly GraphNodeKind[] = [
  'dense', 'conv1d', 'maxPool1d', 'avgPool1d', 'globalAvgPool1d', 'flatten', 'reshape', 'batchNorm', 'dropout', 'activation',
];

export interface ModelGraph {
  readonly name: string;
  /** Per-sample input shape: [window, features]. */
  readonly inputShape: readonly number[];
  /** Per-sample output shape (computed by shapes.ts from the layers). */
  readonly outputShape: readonly number[];
  readonly layers: readonly GraphNode[];
}
