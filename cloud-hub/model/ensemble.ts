/**
 * Ensembles of dense stacks as one graph. K members trained from different seeds on the same data
 * are merged into a single, wider stack whose output is exactly the mean of theirs:
 *  - the first dense layer's kernels sit side by side (every member reads the same input);
 *  - the layers between are block-diagonal (member k's units only feed member k's units);
 *  - the last dense layer's kernels are stacked and divided by K, its biases averaged, so the
 *    sum it computes is the average of the members' outputs.
 * The merged graph exports, quantises and runs like any other dense stack: one ORT call, one set
 * of integer kernels, no new operator. Averaging is exact only through a linear head, so the last
 * dense layer must be linear (anomaly and forecast heads are; a softmax classifier is refused).
 *
 * Why ensembles at all: on a few hundred readings (NAB's probationary rows) a small network's
 * forecasts, and the detections built on them, move with the training seed; the mean of several
 * seeds moves much less.
 */
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { DenseNode, GraphNode, ModelGraph } from './graph.ts';

/** Layers an ensemble may hold: shape-only layers around the dense chain, elementwise ones inside it. */
const AROUND = new Set<GraphNode['kind']>(['flatten', 'reshape', 'dropout']);
const INSIDE = new Set<GraphNode['kind']>(['dropout', 'activation']);

function refuse(message: string): never {
  throw new EdgehiveError('EH_RECIPE_INVALID', message);
}

/**
 * Which layers of `layers` an ensemble can merge: index of the first and last dense layer. Throws
 * EH_RECIPE_INVALID naming the first layer that cannot be merged. Exported so recipe validation
 * refuses an unmergeable ensemble before any training.
 */
export function ensembleDenseSpan(layers: readonly { readonly kind?: string; readonly type?: string; readonly activation?: string }[]): { first: number; last: number } {
  const kindOf = (l: (typeof layers)[number]) => (l.kind ?? l.type ?? '') as GraphNode['kind'];
  const dense = layers.flatMap((l, i) => (kindOf(l) === 'dense' ? [i] : []));
  if (dense.length === 0) refuse('training.ensemble needs a stack of dense layers; this model has none');
  const first = dense[0]!;
  const last = dense[dense.length - 1]!;
  layers.forEach((l, i) => {
    const kind = kindOf(l);
    if (kind === 'dense') return;
    const allowed = i < first || i > last ? AROUND : INSIDE;
    if (!allowed.has(kind)) {
      refuse(`training.ensemble merges dense stacks only: layer ${i} (${kind}) cannot be merged; `
        + 'train without an ensemble, or use dense layers (flatten, dropout and activation layers may sit between them)');
    }
    if (kind === 'activation' && i > last) refuse(`training.ensemble: layer ${i} (activation) follows the last dense layer; the members' outputs can only be averaged through a linear head`);
  });
  const head = layers[last]!;
  if ((head.activation ?? 'linear') !== 'linear') {
    refuse(`training.ensemble averages the members' outputs, which is exact only through a linear head; the last dense layer is ${head.activation} (a classifier's softmax cannot be averaged this way)`);
  }
  return { first, last };
}

function zeros(n: number): Float32Array {
  return new Float32Array(n);
}

/** Member k's [rows, cols] block written into a [totalRows, totalCols] row-major matrix. */
function place(out: Float32Array, totalCols: number, src: Float32Array, rows: number, cols: number, rowAt: number, colAt: number, factor = 1): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[(rowAt + r) * totalCols + colAt + c] = src[r * cols + c]! * factor;
  }
}

function mergeDense(members: readonly DenseNode[], position: 'only' | 'first' | 'middle' | 'last'): DenseNode {
  const k = members.length;
  const [inDim, units] = members[0]!.kernel.shape as [number, number];
  const base = members[0]!;
  if (position === 'only') {
    const kernel = zeros(inDim * units);
    const bias = zeros(units);
    for (const m of members) {
      m.kernel.data.forEach((v, i) => { kernel[i] = kernel[i]! + v / k; });
      m.bias.data.forEach((v, i) => { bias[i] = bias[i]! + v / k; });
    }
    return { ...base, kernel: { shape: [inDim, units], data: kernel }, bias: { shape: [units], data: bias } };
  }
  if (position === 'last') {
    const kernel = zeros(k * inDim * units);
    const bias = zeros(units);
    members.forEach((m, j) => {
      place(kernel, units, m.kernel.data, inDim, units, j * inDim, 0, 1 / k);
      m.bias.data.forEach((v, i) => { bias[i] = bias[i]! + v / k; });
    });
    return { ...base, kernel: { shape: [k * inDim, units], data: kernel }, bias: { shape: [units], data: bias } };
  }
  const rows = position === 'first' ? inDim : k * inDim;
  const kernel = zeros(rows * k * units);
  const bias = zeros(k * units);
  members.forEach((m, j) => {
    place(kernel, k * units, m.kernel.data, inDim, units, position === 'first' ? 0 : j * inDim, j * units);
    bias.set(m.bias.data, j * units);
  });
  return { ...base, units: k * units, kernel: { shape: [rows, k * units], data: kernel }, bias: { shape: [k * units], data: bias } };
}

function sameArchitecture(a: ModelGraph, b: ModelGraph): boolean {
  if (a.layers.length !== b.layers.length || a.inputShape.join() !== b.inputShape.join()) return false;
  return a.layers.every((l, i) => {
    const o = b.layers[i]!;
    if (l.kind !== o.kind) return false;
    if (l.kind === 'dense' && o.kind === 'dense') return l.units === o.units && l.activation === o.activation && l.kernel.shape.join() === o.kernel.shape.join();
    return JSON.stringify(l) === JSON.stringify(o);
  });
}

/** One graph computing the mean of the members' outputs (see the module comment). */
export function mergeEnsemble(members: readonly ModelGraph[]): ModelGraph {
  const head = members[0];
  if (!head) refuse('an ensemble needs at least one member');
  if (members.length === 1) return head;
  for (const [i, m] of members.entries()) {
    if (!sameArchitecture(head, m)) refuse(`ensemble member ${i} does not have member 0's layers; members must share one architecture`);
  }
  const { first, last } = ensembleDenseSpan(head.layers);
  const layers = head.layers.map((layer, i): GraphNode => {
    if (layer.kind !== 'dense') return layer;
    const position = first === last ? 'only' : i === first ? 'first' : i === last ? 'last' : 'middle';
    return mergeDense(members.map((m) => m.layers[i] as DenseNode), position);
  });
  return { ...head, layers };
}
