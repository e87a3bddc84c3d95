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

/** Largest |q| of a full-range symmetric int8 weight (−128 unused). */
export const FULL_WEIGHT_QMAX = 127;
/**
 * Largest |q| of a 7-bit weight in an int8 tensor: the default (ORT's `reduce_range`). ORT's
 * u8s8 kernels on x86 CPUs without VNNI (AVX2's vpmaddubsw, SSSE3's pmaddubsw) add each pair of
 * uint8 × int8 products into a saturating int16: 2 × 255 × 127 = 64,770 overflows 32,767, so a
 * full-range weight meeting a large activation comes out wrong (seen on an AMD EPYC (Zen 3):
 * max |int8 − fp32| 2.65 on outputs up to 9.6). 2 × 255 × 63 = 32,130 always fits. ARM's
 * kernels and x86 with VNNI widen first and never saturate; a fleet of only those may opt into
 * the full range (quantisation.reduceRange false) for one more bit of weight precision.
 */
export const REDUCED_WEIGHT_QMAX = 63;

/** The weight range a `reduceRange` option asks for (absent: reduced) and the bits it spends. */
export function weightRange(reduceRange: boolean | undefined): { readonly qmax: number; readonly bits: 7 | 8 } {
  return (reduceRange ?? true) ? { qmax: REDUCED_WEIGHT_QMAX, bits: 7 } : { qmax: FULL_WEIGHT_QMAX, bits: 8 };
}

export interface PerChannelWeights {
  readonly q: Int8Array;
  /** One scale per channel along `axis`, float32-rounded as stored. */
  readonly scales: Float32Array;
}

/**
 * Symmetric int8 per-channel quantisation of a row-major tensor along `axis`:
 * scale_c = max|w_c| / qmax, q = clamp(round(w / scale_c), −qmax, qmax), qmax 127 (full range)
 * or 63 (REDUCED_WEIGHT_QMAX). −128 is left unused so the range is symmetric (what ORT's integer
 * kernels assume for weights with zero point 0). An all-zero channel gets scale 1 (its q are all
 * 0 either way).
 */
export function quantiseWeightsPerChannel(w: Float32Array, dims: readonly number[], axis: number, roundScales?: (scales: Float32Array) => Float32Array, qmax = FULL_WEIGHT_QMAX): PerChannelWeights {
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
  const exact = Float32Array.from(maxAbs, (m) => (m > 0 ? m / qmax : 1));
  // A rounding that only ever moves a scale up keeps every weight within ±qmax of its channel.
  const scales = roundScales ? roundScales(exact) : exact;
  const q = new Int8Array(w.length);
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const s = scales[c] ?? 1;
      const base = (o * channels + c) * inner;
      for (let i = 0; i < inner; i++) q[base + i] = Math.max(-qmax, Math.min(qmax, roundHalfEven((w[base + i] ?? 0) / s)));
    }
  }
  return { q, scales };
}

/**
 * Largest spread (max / min) of a layer's per-channel weight scales at which it is quantised
 * with one scale per tensor instead. At 2 the per-tensor step of the worst channel is at most
 * twice its own per-channel step (at most 1 bit of its 7; ONNX Runtime's own quantiser uses per
 * tensor for every weight by default); in exchange the layer stores one float scale and one zero
 * point instead of `channels` of each (5 B a channel), up to a tenth of a small model's int8
 * size. Measured on the pump-anomaly recipe as bench:inference trains it (channel spreads 1.36,
 * 1.34, 2.50, 1.80): ROC AUC 0.898867 all per channel, 0.898864 with three layers per tensor
 * (fp32 0.899024); at a bound of 1.5 the 128-channel output layer (1.80) would stay per channel.
 * Layers whose channels drift apart in training (2.4–2.5 seen in the same recipes) stay per channel:
 * hvac-anomaly's 256-channel output layer (2.40) per tensor would save 623 B (0.319 → 0.299 of
 * fp32, its per-channel scales being float16 and its zero points a ConstantOfShape) but raise
 * the held-out mean |int8 − fp32| by 2.7 % (0.01756 → 0.0181; AUC unchanged), and nab-univariate's
 * 2.43 layer by 2.4 %: a bound of 2 keeps them per channel.
 */
export const PER_TENSOR_MAX_SPREAD = 2;

export interface LayerWeights extends PerChannelWeights {
  /** One scale for the whole tensor (`scales` has length 1) rather than one per channel. */
  readonly perTensor: boolean;
  /**
   * Per-channel scales rounded up to float16 values (at most 2^-10 larger, so each weight step
   * grows by at most 0.1 %) and the weights quantised with them, so the scales can be stored as
   * float16 (2 B a channel instead of 4) and widened by a Cast. Only when asked for and every
   * scale is a normal float16.
   */
  readonly halfScales: boolean;
  /** Spread (max / min) of the per-channel scales, whichever was chosen. */
  readonly spread: number;
  /** Smallest and largest per-channel scale (of channels with a non-zero weight). */
  readonly channelScaleMin: number;
  readonly channelScaleMax: number;
}

/**
 * Symmetric int8 weights for a compute layer: per channel along `axis`, or per tensor (one
 * scale, max|w| / qmax) where the per-channel scales spread by at most `maxSpread`, i.e. where
 * per-channel scales would buy next to no precision for their bytes. `maxSpread` 1 forces
 * per-channel for any layer whose channels differ at all. `halfScales`: per-channel scales are
 * rounded up to float16 values (see LayerWeights.halfScales) where every one is a normal float16.
 */
export function quantiseLayerWeights(w: Float32Array, dims: readonly number[], axis: number, maxSpread = PER_TENSOR_MAX_SPREAD, halfScales = false, qmax = FULL_WEIGHT_QMAX): LayerWeights {
  const perChannel = quantiseWeightsPerChannel(w, dims, axis, undefined, qmax);
  // Scales of all-zero channels are a placeholder 1 (any scale is exact for them): leave them out.
  const channels = dims[axis] ?? 1;
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const nonZero = new Uint8Array(channels);
  for (let i = 0; i < w.length; i++) if (w[i] !== 0) nonZero[Math.floor(i / inner) % channels] = 1;
  let min = Infinity;
  let max = 0;
  perChannel.scales.forEach((s, c) => {
    if (!nonZero[c]) return;
    min = Math.min(min, s);
    max = Math.max(max, s);
  });
  const live = max > 0;
  const spread = live ? max / min : 1;
  const stats = { spread, channelScaleMin: live ? min : 1, channelScaleMax: live ? max : 1 };
  if (channels > 1 && spread <= maxSpread) {
    // One channel spanning the whole tensor: scale = fround(max|w| / qmax), the largest per-channel scale.
    const t = quantiseWeightsPerChannel(w, [1, w.length], 0, undefined, qmax);
    return { ...t, perTensor: true, halfScales: false, ...stats };
  }
  if (halfScales) {
    const half = quantiseWeightsPerChannel(w, dims, axis, (s) => s.map(halfAtLeast), qmax);
    if (half.scales.every((s) => Number.isFinite(s) && s >= HALF_MIN_NORMAL)) return { ...half, perTensor: false, halfScales: true, ...stats };
  }
  return { ...perChannel, perTensor: false, halfScales: false, ...stats };
}

/** Smallest positive normal float16 (2^-14); below it float16 loses precision, so such scales stay float32. */
export const HALF_MIN_NORMAL = 2 ** -14;
const HALF_MAX = 65504;

/**
 * The smallest float16 value ≥ x (x > 0), as a number: 11 significant bits, so at most 2^-10 above
 * x. NaN where x is outside float16's normal range (the caller keeps float32 then).
 */
export function halfAtLeast(x: number): number {
  if (!(x >= HALF_MIN_NORMAL && x <= HALF_MAX)) return NaN;
  let e = Math.floor(Math.log2(x));
  while (2 ** e > x) e--;
  while (2 ** (e + 1) <= x) e++;
  const m = Math.ceil((x / 2 ** e - 1) * 1024);
  const v = 2 ** e * (1 + m / 1024);
  return v > HALF_MAX ? NaN : v;
}

/** IEEE 754 binary16 bits of a value that float16 holds exactly (a halfAtLeast result). */
export function halfBits(v: number): number {
  if (v === 0) return 0;
  const sign = v < 0 ? 0x8000 : 0;
  const a = Math.abs(v);
  const e = Math.floor(Math.log2(a));
  const m = Math.round((a / 2 ** e - 1) * 1024);
  if (e < -14 || e > 15 || m < 0 || m > 1023 || 2 ** e * (1 + m / 1024) !== a) throw new RangeError(`${v} is not a normal float16 value`);
  return sign | ((e + 15) << 10) | m;
}

/**
 * Bytes of the narrowest integer type (1, 2 or 4) that holds every value of an int32 tensor
 * exactly: int32 biases are stored narrower where they fit and widened by a Cast.
 */
export function narrowIntBytes(q: Int32Array): 1 | 2 | 4 {
  let max = 0;
  for (const v of q) max = Math.max(max, Math.abs(v));
  return max <= 127 ? 1 : max <= 32767 ? 2 : 4;
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
export function quantiseDequantise(x: number, p: QParams, type: ActivationType): number {
  const { qmin, qmax } = qRange(type);
  const q = Math.max(qmin, Math.min(qmax, roundHalfEven(x / p.scale) + p.zeroPoint));
  return (q - p.zeroPoint) * p.scale;
}
