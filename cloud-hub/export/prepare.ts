/**
 * The exporter's first pass over a ModelGraph: refuse node kinds it cannot write, check every
 * layer's shapes and weights against what it receives, drop dropout (identity at inference) and
 * fold batch norm into the dense/conv1d before it. What is left is the list of layers the
 * emitter writes one by one, each with the shapes around it.
 *
 * Folding: for y = BN(x·W + b) with scale s = γ/√(var+ε) per output channel,
 * W' = W·s (column-wise) and b' = (b − mean)·s + β. It is only exact when nothing non-linear sits
 * between the affine layer and the BN, so it needs the affine layer's activation to be linear;
 * otherwise the BN stays, written as a per-channel Mul + Add (see `affineOf`).
 */
import { EdgehiveError } from '../../shared/errors/index.ts';
import { GRAPH_NODE_KINDS, type BatchNormNode, type Conv1dNode, type DenseNode, type GraphNode, type ModelGraph, type WeightTensor } from '../model/graph.ts';
import { formatShape, layerOutputShape, nodeToLayerSpec, type Shape } from '../model/shapes.ts';

export interface PreparedLayer {
  /** Position in graph.layers: names the ONNX nodes and initialisers (`dense_0.kernel`). */
  readonly index: number;
  readonly node: GraphNode;
  readonly inShape: Shape;
  readonly outShape: Shape;
}

/** Per-channel y = x·scale + shift: what a BN that could not be folded computes. */
export interface ChannelAffine {
  readonly scale: Float32Array;
  readonly shift: Float32Array;
}

const SUPPORTED = GRAPH_NODE_KINDS.join(', ');

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function checkWeight(index: number, kind: string, field: string, w: WeightTensor | undefined, want: readonly number[]): void {
  const fail = (problem: string): never => {
    throw new EdgehiveError('EH_MODEL_INVALID', `layer ${index} (${kind}): ${field} ${problem}; the graph is damaged or was built for another input shape — retrain or re-convert it`, { index, layer: kind, field });
  };
  if (!w || !(w.data instanceof Float32Array)) fail('is missing');
  if (!sameShape(w!.shape, want)) fail(`has shape ${formatShape(w!.shape)} but the layer needs ${formatShape(want)}`);
  const n = want.reduce((a, b) => a * b, 1);
  if (w!.data.length !== n) fail(`holds ${w!.data.length} values but its shape ${formatShape(want)} needs ${n}`);
}

function checkWeights(index: number, node: GraphNode, inShape: Shape): void {
  const channels = inShape[inShape.length - 1] as number;
  switch (node.kind) {
    case 'dense':
      checkWeight(index, node.kind, 'kernel', node.kernel, [channels, node.units]);
      checkWeight(index, node.kind, 'bias', node.bias, [node.units]);
      break;
    case 'conv1d':
      checkWeight(index, node.kind, 'kernel', node.kernel, [node.kernelSize, channels, node.filters]);
      checkWeight(index, node.kind, 'bias', node.bias, [node.filters]);
      break;
    case 'batchNorm':
      for (const f of ['gamma', 'beta', 'movingMean', 'movingVariance'] as const) checkWeight(index, node.kind, f, node[f], [channels]);
      break;
    default:
      break;
  }
}

/** γ/√(var+ε) per channel, in float64 so folding rounds to float32 only once. */
function bnScale(bn: BatchNormNode): Float64Array {
  return Float64Array.from(bn.gamma.data, (g, c) => g / Math.sqrt((bn.movingVariance.data[c] as number) + bn.epsilon));
}

/** Scale and shift of a BN that stays in the graph. */
export function affineOf(bn: BatchNormNode): ChannelAffine {
  const s = bnScale(bn);
  return {
    scale: Float32Array.from(s),
    shift: Float32Array.from(s, (sc, c) => (bn.beta.data[c] as number) - (bn.movingMean.data[c] as number) * sc),
  };
}

/** The affine layer with the BN folded into it; the output channel is the kernel's last axis in both kinds. */
function fold<T extends DenseNode | Conv1dNode>(layer: T, bn: BatchNormNode): T {
  const s = bnScale(bn);
  const { kernel, bias } = layer;
  const out = s.length;
  const k = Float32Array.from(kernel.data, (w, i) => w * (s[i % out] as number));
  const b = Float32Array.from(bias.data, (v, c) => (v - (bn.movingMean.data[c] as number)) * (s[c] as number) + (bn.beta.data[c] as number));
  return { ...layer, kernel: { shape: kernel.shape, data: k }, bias: { shape: bias.shape, data: b } };
}

/**
 * Checks `graph` and returns the layers to emit. Throws EH_MODEL_UNSUPPORTED for a node kind the
 * exporter does not know, EH_MODEL_INVALID for shapes or weights that do not fit.
 */
export function prepareLayers(graph: ModelGraph): PreparedLayer[] {
  graph.layers.forEach((node, i) => {
    const kind = (node as { kind?: unknown }).kind;
    if (!(GRAPH_NODE_KINDS as readonly unknown[]).includes(kind)) {
      throw new EdgehiveError('EH_MODEL_UNSUPPORTED', `layer ${i} of kind '${String(kind)}' is not supported by the ONNX exporter; supported: ${SUPPORTED}`, { index: i, layer: String(kind) });
    }
  });
  if (graph.inputShape.length === 0 || graph.inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new EdgehiveError('EH_MODEL_INVALID', `graph '${graph.name}' has input shape ${formatShape(graph.inputShape)}; it must be positive integers, e.g. [window, features]`);
  }
  const out: PreparedLayer[] = [];
  let shape: Shape = graph.inputShape;
  graph.layers.forEach((node, index) => {
    const outShape = layerOutputShape(nodeToLayerSpec(node), shape, index, 'EH_MODEL_INVALID');
    checkWeights(index, node, shape);
    const inShape = shape;
    shape = outShape;
    if (node.kind === 'dropout') return;
    const prev = out[out.length - 1];
    if (node.kind === 'batchNorm' && prev && (prev.node.kind === 'dense' || prev.node.kind === 'conv1d') && prev.node.activation === 'linear') {
      out[out.length - 1] = { ...prev, node: fold(prev.node, node) };
      return;
    }
    out.push({ index, node, inShape, outShape });
  });
  if (!sameShape(shape, graph.outputShape)) {
    throw new EdgehiveError('EH_MODEL_INVALID', `graph '${graph.name}' states output shape ${formatShape(graph.outputShape)} but its layers produce ${formatShape(shape)}; rebuild the graph from its layers`);
  }
  return out;
}
