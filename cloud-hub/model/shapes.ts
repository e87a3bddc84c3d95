/**
 * Per-sample shape inference for a layer stack, with Keras' semantics (channels last, the batch
 * axis implicit): the recipe validator, the model planner and the exporter all ask this one
 * module what comes out of a layer, so a stack that cannot run is refused before any training.
 *
 *  - conv1d on [T, C]: valid → ⌊(T − k) / s⌋ + 1 steps (needs T ≥ k), same → ⌈T / s⌉; → [T', filters]
 *  - max/avg pool on [T, C] (valid padding): ⌊(T − p) / s⌋ + 1 (needs T ≥ p); → [T', C]
 *  - dense: on the last axis, any rank ([T, C] → [T, units] is time-distributed)
 *  - flatten → [product]; reshape → its shape (same element count); globalAvgPool1d [T, C] → [C]
 *  - batchNorm, dropout, activation: unchanged
 */
import { EdgehiveError, type ErrorCode } from '../../shared/errors/index.ts';
import type { LayerSpec } from '../recipes/schema.ts';
import type { GraphNode } from './graph.ts';

export type Shape = readonly number[];

/** A shape problem at one layer; `index` is the layer's position in the stack it was checked in. */
export class ShapeError extends EdgehiveError {
  readonly index: number;
  constructor(code: ErrorCode, index: number, layerType: string, problem: string) {
    super(code, `layer ${index} (${layerType}): ${problem}`, { index, layer: layerType });
    this.index = index;
  }
}

function product(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** The output shape of one layer. `index` only names the layer in errors. */
export function layerOutputShape(layer: LayerSpec, input: Shape, index = 0, code: ErrorCode = 'EH_RECIPE_INVALID'): Shape {
  const fail = (problem: string): never => {
    throw new ShapeError(code, index, layer.type, problem);
  };
  const needsSequence = (): [number, number] => {
    if (input.length !== 2) fail(`needs a [time, channels] input but gets ${formatShape(input)}; it must come before any flatten/globalAvgPool1d, or after a reshape to [time, channels]`);
    return [input[0] as number, input[1] as number];
  };
  switch (layer.type) {
    case 'conv1d': {
      const [t] = needsSequence();
      const s = layer.stride ?? 1;
      if ((layer.padding ?? 'valid') === 'same') return [Math.ceil(t / s), layer.filters];
      if (layer.kernelSize > t) fail(`kernelSize ${layer.kernelSize} is larger than the ${t} time steps it gets; use a smaller kernel, padding "same", less pooling before it, or a longer window`);
      return [Math.floor((t - layer.kernelSize) / s) + 1, layer.filters];
    }
    case 'maxPool1d':
    case 'avgPool1d': {
      const [t, c] = needsSequence();
      const s = layer.stride ?? layer.poolSize;
      if (layer.poolSize > t) fail(`poolSize ${layer.poolSize} is larger than the ${t} time steps it gets; use a smaller pool, less downsampling before it, or a longer window`);
      return [Math.floor((t - layer.poolSize) / s) + 1, c];
    }
    case 'globalAvgPool1d': {
      const [, c] = needsSequence();
      return [c];
    }
    case 'dense':
      return [...input.slice(0, -1), layer.units];
    case 'flatten':
      return [product(input)];
    case 'reshape': {
      const want = product(layer.shape);
      const have = product(input);
      if (want !== have) fail(`cannot reshape ${formatShape(input)} (${have} values) to ${formatShape(layer.shape)} (${want} values); the element counts must match`);
      return [...layer.shape];
    }
    case 'batchNorm':
    case 'dropout':
    case 'activation':
      return input;
  }
}

/** Output shape after every layer (entry i = after layer i); throws ShapeError at the first misfit. */
export function inferShapes(inputShape: Shape, layers: readonly LayerSpec[], code: ErrorCode = 'EH_RECIPE_INVALID'): Shape[] {
  const out: Shape[] = [];
  let shape = inputShape;
  layers.forEach((layer, i) => {
    shape = layerOutputShape(layer, shape, i, code);
    out.push(shape);
  });
  return out;
}

export function outputShapeOf(inputShape: Shape, layers: readonly LayerSpec[], code: ErrorCode = 'EH_RECIPE_INVALID'): Shape {
  const shapes = inferShapes(inputShape, layers, code);
  return shapes.length === 0 ? inputShape : (shapes[shapes.length - 1] as Shape);
}

/** The layer spec a trained node was built from (weights dropped), for shape checks on graphs. */
export function nodeToLayerSpec(node: GraphNode): LayerSpec {
  switch (node.kind) {
    case 'dense': return { type: 'dense', units: node.units, activation: node.activation };
    case 'conv1d': return { type: 'conv1d', filters: node.filters, kernelSize: node.kernelSize, stride: node.stride, padding: node.padding, activation: node.activation };
    case 'maxPool1d':
    case 'avgPool1d': return { type: node.kind, poolSize: node.poolSize, stride: node.stride };
    case 'globalAvgPool1d': return { type: 'globalAvgPool1d' };
    case 'flatten': return { type: 'flatten' };
    case 'reshape': return { type: 'reshape', shape: [...node.shape] };
    case 'batchNorm': return { type: 'batchNorm', epsilon: node.epsilon };
    case 'dropout': return { type: 'dropout', rate: node.rate };
    case 'activation': return { type: 'activation', activation: node.activation };
  }
}

/**
 * Floating-point operations of one inference of one sample (a multiply-add counts 2), the
 * figure recipes and benchmarks quote. Counts the matrix work of dense and conv1d layers plus
 * one operation per value for bias, activations, pooling and batch norm; reshapes are free.
 */
export function flopsOf(inputShape: Shape, layers: readonly LayerSpec[]): number {
  let shape = inputShape;
  let flops = 0;
  layers.forEach((layer, i) => {
    const out = layerOutputShape(layer, shape, i);
    const outN = product(out);
    switch (layer.type) {
      case 'dense':
        flops += 2 * outN * (shape[shape.length - 1] as number) + outN * (layer.activation && layer.activation !== 'linear' ? 2 : 1);
        break;
      case 'conv1d':
        flops += 2 * outN * layer.kernelSize * (shape[1] as number) + outN * (layer.activation && layer.activation !== 'linear' ? 2 : 1);
        break;
      case 'maxPool1d':
      case 'avgPool1d':
        flops += outN * layer.poolSize;
        break;
      case 'globalAvgPool1d':
        flops += product(shape);
        break;
      case 'batchNorm':
        flops += 2 * outN;
        break;
      case 'activation':
        flops += layer.activation === 'linear' ? 0 : outN;
        break;
      case 'flatten':
      case 'reshape':
      case 'dropout':
        break;
    }
    shape = out;
  });
  return flops;
}
