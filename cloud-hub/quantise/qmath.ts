/**
 * The arithmetic of linear quantisation, free of ONNX and I/O so that it can be tested on hand
 * cases: real = scale × (q − zeroPoint).
 *
 * Rounding is half-to-even everywhere because that is what ONNX QuantizeLinear does; weights we
 * quantise here then agree bit for bit with what the runtime would compute from the same floats.
 */

export type ActivationType = 'uint8' | 'int8';

export interface QParams {
  readonly scale: number;
  readonly zeroPoint: number;
}

/** Round half to even (banker's rounding), as ONNX QuantizeLinear specifies. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  // Math.round rounds .5 up; step back where that made an odd number from an exact tie.
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function qRange(type: ActivationType): { qmin: number; qmax: number } {
  return type === 'uint8' ? { qmin: 0, qmax: 255 } : { qmin: -128, qmax: 127 };
}

/**
 * Asymmetric activation parameters for the observed range. The range is widened to include 0
 * so that 0 (padding, Relu's floor) is exactly representable; a degenerate range gets scale 1
 * so that the runtime never divides by zero.
 */
export function activationParams(min: number, max: number, type: ActivationType): QParams {
  const { qmin, qmax } = qRange(type);
  const rmin = Math.min(min, 0);
  const rmax = Math.max(max, 0);
  if (!(rmax > rmin) || !Number.isFinite(rmax - rmin)) return { scale: 1, zeroPoint: 0 };
  const scale = Math.fround((rmax - rmin) / (qmax - qmin));
  const zeroPoint = Math.max(qmin, Math.min(qmax, roundHalfEven(qmin - rmin / scale)));
  return { scale, zeroPoint };
}

export interface PerChannelWeights {
  readonly q: Int8Array;
  /** One scale per channel along `axis`, float32-rounded as stored. */
  readonly scales: Float32Array;
}

/**
 * Symmetric int8 per-channel quantisation of a row-major tensor along `axis`:
 * scale_c = max|w_c| / 127, q = clamp(round(w / scale_c), −127, 127). −128 is left unused so the
 * range is symmetric (what ORT's integer kernels assume for weights with zero point 0). An
 * all-zero channel gets scale 1 (its q are all 0 either way).
 */
export function quantiseWeightsPerChannel(w: Float32Array, dims: readonly number[], axis: number): PerChannelWeights {
  if (axis < 0 || axis >= dims.length) throw new RangeError(`axis ${axis} out of range for rank ${dims.length}`);
  const channels = dims[axis] ?? 1;
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = dims.slice(0, axis).reduce((a, b) => a * b, 1);
  const maxAbs = new Float64Array(channels);
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const base = (o * channels + c) * inner;
      for (let i = 0; i < inner; i++) maxAbs[c] = Math.max(maxAbs[c] ?? 0, Math.abs(w[base + i] ?? 0));
    }
  }
  const scales = Float32Array.from(maxAbs, (m) => (m > 0 ? m / 127 : 1));
  const q = new Int8Array(w.length);
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const s = scales[c] ?? 1;
      const base = (o * channels + c) * inner;
      for (let i = 0; i < inner; i++) q[base + i] = Math.max(-127, Math.min(127, roundHalfEven((w[base + i] ?? 0) / s)));
    }
  }
  return { q, scales };
}

export interface QuantisedBias {
  readonly q: Int32Array;
  readonly scales: Float32Array;
  /** Channels whose value did not fit int32 and was clamped (a sign of a near-zero scale). */
  readonly clamped: number;
}

const INT32_MAX = 2 ** 31 - 1;

/**
 * Bias as int32 with scale_c = inputScale × weightScale_c and zero point 0: the accumulator's own
 * scale, so the integer kernel adds it without rescaling.
 */
export function quantiseBias(bias: Float32Array, inputScale: number, weightScales: Float32Array): QuantisedBias {
  const scales = Float32Array.from(bias, (_, c) => inputScale * (weightScales[weightScales.length === 1 ? 0 : c] ?? 1));
  let clamped = 0;
  const q = Int32Array.from(bias, (b, c) => {
    const v = roundHalfEven(b / (scales[c] ?? 1));
    if (v > INT32_MAX || v < -INT32_MAX) clamped++;
    return Math.max(-INT32_MAX, Math.min(INT32_MAX, v));
  });
  return { q, scales, clamped };
}

/** real → q → real with the given parameters: what a QuantizeLinear/DequantizeLinear pair does. */
export function fakeQuantise(x: number, p: QParams, type: ActivationType): number {
  const { qmin, qmax } = qRange(type);
  const q = Math.max(qmin, Math.min(qmax, roundHalfEven(x / p.scale) + p.zeroPoint));
  return (q - p.zeroPoint) * p.scale;
}
