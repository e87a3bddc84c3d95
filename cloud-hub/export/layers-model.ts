/**
 * A TensorFlow.js LayersModel (e.g. trained elsewhere, or a tf.sequential built in a test) as our
 * ModelGraph, so the exporter needs to know only one model form. Accepts a straight chain of the
 * layer classes the exporter can write, channels-last as Keras defaults; everything else is
 * refused by name — the layer, its class or the option — with what is supported, because a model
 * exported with a silently different function is worse than none.
 *
 * Options read through getConfig() (the serialised Keras form), so refusal messages name options
 * the way a Keras user writes them in TF.js.
 */
import type { LayersModel } from '@tensorflow/tfjs';
import { EdgehiveError } from '../../shared/errors/index.ts';
import { ActivationSchema, type Activation } from '../recipes/schema.ts';
import type { GraphNode, ModelGraph, WeightTensor } from '../model/graph.ts';
import { formatShape, layerOutputShape, nodeToLayerSpec, type Shape } from '../model/shapes.ts';

type Layer = LayersModel['layers'][number];
type Config = Record<string, unknown>;

/** TF.js class name → what it becomes. */
export const SUPPORTED_LAYER_CLASSES: readonly string[] = [
  'Dense', 'Conv1D', 'MaxPooling1D', 'AveragePooling1D', 'GlobalAveragePooling1D', 'Flatten', 'Reshape', 'BatchNormalization', 'Dropout', 'Activation',
];
const ACTIVATIONS: readonly string[] = ActivationSchema.anyOf.map((s) => s.const);

class Refusal {
  constructor(readonly layer: Layer) {}

  fail(problem: string, code: 'EH_MODEL_UNSUPPORTED' | 'EH_MODEL_INVALID' = 'EH_MODEL_UNSUPPORTED'): never {
    throw new EdgehiveError(code, `layer '${this.layer.name}' of class ${this.layer.getClassName()} ${problem}`, { layer: this.layer.name, class: this.layer.getClassName() });
  }

  option(cfg: Config, key: string, supported: string, ok: (v: unknown) => boolean): void {
    if (key in cfg && cfg[key] !== undefined && cfg[key] !== null && !ok(cfg[key])) {
      this.fail(`has ${key} ${JSON.stringify(cfg[key])}, which the ONNX exporter does not support; supported: ${supported}`);
    }
  }
}

/** A Keras int-or-tuple option as one int ([3] and 3 alike). */
function single(v: unknown): number | undefined {
  const x = Array.isArray(v) ? (v.length === 1 ? v[0] : undefined) : v;
  return typeof x === 'number' && Number.isInteger(x) ? x : undefined;
}

function activationOf(r: Refusal, cfg: Config): Activation {
  const a = cfg.activation ?? 'linear';
  if (typeof a !== 'string' || !ACTIVATIONS.includes(a)) r.fail(`has activation ${JSON.stringify(a)}, which the ONNX exporter does not support; supported: ${ACTIVATIONS.join(', ')}`);
  return a as Activation;
}

/** The layer's weights by their short name ('kernel', 'moving_mean'), copied out of TF.js. */
function weightsOf(layer: Layer): Map<string, WeightTensor> {
  const values = layer.getWeights();
  const out = new Map<string, WeightTensor>();
  layer.weights.forEach((v, i) => {
    const t = values[i];
    if (!t) return;
    const short = (v.originalName ?? v.name).split('/').pop() ?? v.name;
    out.set(short.replace(/_\d+$/, ''), { shape: [...t.shape], data: Float32Array.from(t.dataSync() as Float32Array) });
  });
  return out;
}

function need(r: Refusal, w: Map<string, WeightTensor>, name: string): WeightTensor {
  return w.get(name) ?? r.fail(`has no '${name}' weight; was it built (given an input shape)?`, 'EH_MODEL_INVALID');
}

function filled(n: number, v: number): WeightTensor {
  return { shape: [n], data: new Float32Array(n).fill(v) };
}

function convert(layer: Layer, inShape: Shape): GraphNode | undefined {
  const r = new Refusal(layer);
  const cls = layer.getClassName();
  if (cls === 'InputLayer') return undefined;
  if (!SUPPORTED_LAYER_CLASSES.includes(cls)) r.fail(`is not supported by the ONNX exporter; supported: ${SUPPORTED_LAYER_CLASSES.join(', ')}`);
  const cfg = layer.getConfig() as Config;
  r.option(cfg, 'dataFormat', 'channelsLast', (v) => v === 'channelsLast');
  const channels = inShape[inShape.length - 1] as number;
  switch (cls) {
    case 'Dense': {
      const w = weightsOf(layer);
      const units = single(cfg.units) ?? r.fail('has no integer units', 'EH_MODEL_INVALID');
      return { kind: 'dense', units, activation: activationOf(r, cfg), kernel: need(r, w, 'kernel'), bias: w.get('bias') ?? filled(units, 0) };
    }
    case 'Conv1D': {
      r.option(cfg, 'dilationRate', '1', (v) => single(v) === 1);
      r.option(cfg, 'padding', "'valid', 'same'", (v) => v === 'valid' || v === 'same');
      r.option(cfg, 'groups', '1', (v) => v === 1);
      const w = weightsOf(layer);
      const filters = single(cfg.filters) ?? r.fail('has no integer filters', 'EH_MODEL_INVALID');
      return {
        kind: 'conv1d', filters, kernelSize: single(cfg.kernelSize) ?? r.fail('has no single kernelSize', 'EH_MODEL_INVALID'),
        stride: single(cfg.strides ?? 1) ?? r.fail('has no single stride', 'EH_MODEL_INVALID'),
        padding: (cfg.padding ?? 'valid') as 'valid' | 'same', activation: activationOf(r, cfg),
        kernel: need(r, w, 'kernel'), bias: w.get('bias') ?? filled(filters, 0),
      };
    }
    case 'MaxPooling1D':
    case 'AveragePooling1D': {
      r.option(cfg, 'padding', "'valid'", (v) => v === 'valid');
      const poolSize = single(cfg.poolSize) ?? r.fail('has no single poolSize', 'EH_MODEL_INVALID');
      return { kind: cls === 'MaxPooling1D' ? 'maxPool1d' : 'avgPool1d', poolSize, stride: single(cfg.strides ?? poolSize) ?? poolSize };
    }
    case 'GlobalAveragePooling1D':
      return { kind: 'globalAvgPool1d' };
    case 'Flatten':
      return { kind: 'flatten' };
    case 'Reshape': {
      const target = (Array.isArray(cfg.targetShape) ? cfg.targetShape : []) as (number | null)[];
      // Keras allows one unknown dimension (-1; TF.js keeps it as null); the graph states every size.
      const open = (d: number | null): boolean => d === null || d === -1;
      const known = target.filter((d) => !open(d)).reduce<number>((a, b) => a * (b as number), 1);
      const total = inShape.reduce((a, b) => a * b, 1);
      return { kind: 'reshape', shape: target.map((d) => (open(d) ? total / known : d as number)) };
    }
    case 'BatchNormalization': {
      r.option(cfg, 'axis', `-1 (the last axis, ${inShape.length})`, (v) => {
        const a = single(v);
        return a === -1 || a === inShape.length;
      });
      const w = weightsOf(layer);
      return {
        kind: 'batchNorm', epsilon: typeof cfg.epsilon === 'number' ? cfg.epsilon : 1e-3,
        gamma: w.get('gamma') ?? filled(channels, 1), beta: w.get('beta') ?? filled(channels, 0),
        movingMean: need(r, w, 'moving_mean'), movingVariance: need(r, w, 'moving_variance'),
      };
    }
    case 'Dropout':
      return { kind: 'dropout', rate: typeof cfg.rate === 'number' ? cfg.rate : 0 };
    case 'Activation':
      return { kind: 'activation', activation: activationOf(r, cfg) };
    default:
      return r.fail(`is not supported by the ONNX exporter; supported: ${SUPPORTED_LAYER_CLASSES.join(', ')}`);
  }
}

/** The model's layers in order, refusing anything but a straight single-input single-output chain. */
function chain(model: LayersModel): Layer[] {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new EdgehiveError('EH_MODEL_UNSUPPORTED', `model '${model.name}' has ${model.inputs.length} inputs and ${model.outputs.length} outputs; the ONNX exporter takes one input and one output (a sequential stack)`);
  }
  let prev = model.inputs[0];
  const layers: Layer[] = [];
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    let input: unknown;
    try {
      input = layer.input;
    } catch {
      input = undefined;
    }
    if (input !== prev) {
      throw new EdgehiveError('EH_MODEL_UNSUPPORTED', `layer '${layer.name}' does not take the previous layer's output as its only input; the ONNX exporter takes a sequential stack without branches or shared layers`, { layer: layer.name });
    }
    prev = layer.output as typeof prev;
    layers.push(layer);
  }
  if (prev !== model.outputs[0]) throw new EdgehiveError('EH_MODEL_UNSUPPORTED', `model '${model.name}' output is not the last layer's output; export a sequential stack`);
  return layers;
}

/**
 * Converts a TF.js LayersModel into a ModelGraph, copying its weights. Throws
 * EH_MODEL_UNSUPPORTED naming the layer and its class (or the option) it cannot export.
 */
export function layersModelToGraph(model: LayersModel): ModelGraph {
  const batched = model.inputs[0]?.shape ?? [];
  const inputShape = batched.slice(1);
  if (inputShape.length === 0 || inputShape.some((d) => typeof d !== 'number' || d < 1)) {
    throw new EdgehiveError('EH_MODEL_UNSUPPORTED', `model '${model.name}' has input shape ${formatShape(batched.map((d) => d ?? -1))}; the ONNX exporter needs every per-sample dimension fixed (give the first layer an inputShape)`);
  }
  const layers: GraphNode[] = [];
  let shape: Shape = inputShape as number[];
  for (const layer of chain(model)) {
    const node = convert(layer, shape);
    if (!node) continue;
    shape = layerOutputShape(nodeToLayerSpec(node), shape, layers.length, 'EH_MODEL_INVALID');
    layers.push(node);
  }
  const tfOut = model.outputs[0]?.shape.slice(1) ?? [];
  if (tfOut.length !== shape.length || tfOut.some((d, i) => d !== null && d !== shape[i])) {
    throw new EdgehiveError('EH_MODEL_INVALID', `model '${model.name}' outputs ${formatShape(tfOut.map((d) => d ?? -1))} per sample but its converted layers give ${formatShape(shape)}; this layer stack is not one the exporter understands`);
  }
  return { name: model.name, inputShape: inputShape as number[], outputShape: shape, layers };
}
