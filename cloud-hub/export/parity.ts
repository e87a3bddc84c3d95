/**
 * Export parity: the ONNX model run by onnxruntime-node against TensorFlow.js on the same inputs,
 * the check the pipeline makes before it trusts an export (and the tests make on every layer).
 * The reference is either the TF.js LayersModel the graph came from or the ModelGraph itself,
 * run through the trainer's own TF.js engine.
 */
import * as tf from '@tensorflow/tfjs';
import { EdgehiveError } from '../../shared/errors/index.ts';
import { OnnxSession } from '../../shared/inference/onnx-session.ts';
import type { ModelGraph } from '../model/graph.ts';
import { TfModel } from '../trainer/tf-model.ts';

export const DEFAULT_PARITY_TOLERANCE = 1e-4;

export interface ParityInput {
  /** Row-major float32 values, batch first. */
  readonly data: Float32Array;
  /** [batch, …inputShape]. */
  readonly dims: readonly number[];
}

export interface ParityReport {
  readonly maxAbsDiff: number;
  /** Flat index of the worst value in the output. */
  readonly worstIndex: number;
  readonly values: number;
}

function isLayersModel(ref: ModelGraph | tf.LayersModel): ref is tf.LayersModel {
  return typeof (ref as tf.LayersModel).predict === 'function';
}

/** The reference output as row-major values and dims. */
export function referenceOutput(ref: ModelGraph | tf.LayersModel, input: ParityInput): { data: Float32Array; dims: number[] } {
  if (isLayersModel(ref)) {
    return tf.tidy(() => {
      const y = ref.predict(tf.tensor(input.data, [...input.dims])) as tf.Tensor;
      return { data: Float32Array.from(y.dataSync() as Float32Array), dims: [...y.shape] };
    });
  }
  const model = TfModel.fromGraph(ref);
  try {
    return tf.tidy(() => {
      const y = model.forward(tf.tensor(input.data, [...input.dims]), false);
      return { data: Float32Array.from(y.dataSync() as Float32Array), dims: [...y.shape] };
    });
  } finally {
    model.dispose();
  }
}

/** float32's unit roundoff: one rounding moves a value by at most this share of it. */
const UNIT_ROUNDOFF = 2 ** -24;

/**
 * The magnitudes the float32 sums behind each output run through: the graph with |weights|, on
 * |x|, with nothing squashed (activations linear, batch norm's shift made additive). Outputs of
 * this graph bound Σ|w·x| at every layer, and so how far two correct float32 evaluations that
 * merely add in a different order may drift apart.
 */
export function magnitudeGraph(g: ModelGraph): ModelGraph {
  const abs = (t: { shape: readonly number[]; data: Float32Array }) => ({ shape: t.shape, data: t.data.map(Math.abs) });
  const layers = g.layers.map((l) => {
    switch (l.kind) {
      case 'dense':
      case 'conv1d':
        return { ...l, activation: 'linear' as const, kernel: abs(l.kernel), bias: abs(l.bias) };
      case 'batchNorm':
        return { ...l, gamma: abs(l.gamma), beta: abs(l.beta), movingMean: { shape: l.movingMean.shape, data: l.movingMean.data.map((v) => -Math.abs(v)) } };
      case 'activation':
        return { ...l, activation: 'linear' as const };
      default:
        return l;
    }
  });
  return { ...g, layers };
}

/** Σ of the layers' fan-in: the longest chain of float32 additions behind an output (bounds its rounding, × UNIT_ROUNDOFF × magnitude). */
function additionDepth(g: ModelGraph): number {
  return g.layers.reduce((n, l) => n + (l.kind === 'dense' ? (l.kernel.shape[0] ?? 1) : l.kind === 'conv1d' ? l.kernelSize * (l.kernel.shape[1] ?? 1) : l.kind === 'avgPool1d' ? l.poolSize : 1), 0);
}

/**
 * Runs `onnxBytes` in onnxruntime-node and the reference in TF.js on `input` and returns the
 * largest absolute difference. Throws EH_PARITY_FAILED when it is over `tolerance` (or the
 * outputs differ in shape, or either holds a NaN the other does not).
 */
export async function checkParity(reference: ModelGraph | tf.LayersModel, onnxBytes: Uint8Array, input: ParityInput, tolerance = DEFAULT_PARITY_TOLERANCE): Promise<ParityReport> {
  const want = referenceOutput(reference, input);
  // ORT's default optimisation level: the check covers the graph as devices will run it.
  const session = await OnnxSession.load(onnxBytes);
  let got;
  try {
    got = await session.run(input.data, input.dims);
  } finally {
    await session.close();
  }
  if (got.dims.length !== want.dims.length || got.dims.some((d, i) => d !== want.dims[i])) {
    throw new EdgehiveError('EH_PARITY_FAILED', `the ONNX model outputs shape [${got.dims.join(', ')}] but TensorFlow.js gives [${want.dims.join(', ')}]; the export is wrong for this model — report it with the model`, { onnxDims: [...got.dims], tfDims: want.dims });
  }
  // The tolerance is absolute for outputs up to 1 and relative above: float32 itself cannot hold
  // 1e-4 absolute on an output of 4.5e7 (its spacing there is 4), whatever the exporter does.
  // A small output can also come out of large cancelling sums (a robust-normalised spike of 1e5
  // through an autoencoder): there float32 rounding alone, in whatever order ORT and TF.js add,
  // moves it by up to depth × 2^-24 × the sums' magnitude, which is allowed on top.
  const graph = isLayersModel(reference) ? null : reference;
  const magnitude = graph ? referenceOutput(magnitudeGraph(graph), { data: input.data.map(Math.abs), dims: input.dims }).data : null;
  const roundoff = graph ? additionDepth(graph) * UNIT_ROUNDOFF : 0;
  let maxAbsDiff = 0;
  let worstIndex = -1;
  let worstExcess = 0;
  for (let i = 0; i < want.data.length; i++) {
    const a = got.data[i] as number;
    const b = want.data[i] as number;
    const d = Number.isNaN(a) && Number.isNaN(b) ? 0 : Math.abs(a - b);
    const rounding = magnitude ? roundoff * (magnitude[i] as number) / tolerance : 0;
    const excess = Number.isNaN(d) ? Infinity : d / Math.max(1, Math.abs(b), rounding);
    if (!(d <= maxAbsDiff)) maxAbsDiff = Number.isNaN(d) ? Infinity : d;
    if (!(excess <= worstExcess)) {
      worstExcess = excess;
      worstIndex = i;
    }
  }
  if (worstExcess > tolerance) {
    throw new EdgehiveError('EH_PARITY_FAILED', `the ONNX model differs from TensorFlow.js by up to ${maxAbsDiff.toExponential(3)} (at output value ${worstIndex}: ONNX ${got.data[worstIndex]}, TF.js ${want.data[worstIndex]}), over the tolerance ${tolerance} (relative above |1|, plus float32's own rounding on this input); the export is wrong for this model — do not ship it, report it with the model`, { maxAbsDiff, worstIndex, tolerance });
  }
  return { maxAbsDiff, worstIndex, values: want.data.length };
}
