/**
 * The quantiser's arithmetic on hand cases: half-to-even rounding, per-channel symmetric weight
 * scales along the right axis, activation ranges that always contain 0, int32 bias scales, and
 * percentile calibration clipping an outlier that min-max keeps.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { activationParams, PER_TENSOR_MAX_SPREAD, quantiseBias, quantiseLayerWeights, quantiseWeightsPerChannel, roundHalfEven } from '../../cloud-hub/quantise/index.ts';
import { AbsHistogram, clipRange, MinMaxObserver } from '../../cloud-hub/quantise/histogram.ts';
import { HALF_MIN_NORMAL, halfAtLeast, halfBits, narrowIntBytes, quantiseDequantise } from '../../cloud-hub/quantise/qmath.ts';

describe('rounding', () => {
  test('ties go to the even neighbour, as ONNX QuantizeLinear does', () => {
    assert.deepEqual([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, -2.6].map(roundHalfEven), [0, 2, 2, -0, -2, -2, 2, -3]);
  });
});

describe('per-channel weights', () => {
  test('Conv-style axis 0: scale = max|w| / 127 per output channel', () => {
    const { q, scales } = quantiseWeightsPerChannel(Float32Array.of(0.5, -1.27, 0.01, 2.54, 0, -0.3), [2, 3], 0);
    assert.deepEqual([...scales], [Math.fround(0.01), Math.fround(0.02)]);
    assert.deepEqual([...q], [50, -127, 1, 127, 0, -15]);
  });

  test('MatMul-style axis 1: one scale per column of [in, out]', () => {
    const { q, scales } = quantiseWeightsPerChannel(Float32Array.of(0.6, -2, -2.54, 8), [2, 2], 1);
    assert.deepEqual([...scales], [Math.fround(2.54 / 127), Math.fround(8 / 127)]);
    assert.deepEqual([...q], [30, -32, -127, 127]);
  });

  test('rounding is half-to-even and the range is clamped symmetric (−128 unused)', () => {
    const { q } = quantiseWeightsPerChannel(Float32Array.of(127, 0.5, 1.5, 2.5, -127, -126.5), [1, 6], 0);
    assert.deepEqual([...q], [127, 0, 2, 2, -127, -126]);
  });

  test('an all-zero channel gets scale 1 and zeros, not a division by zero', () => {
    const { q, scales } = quantiseWeightsPerChannel(Float32Array.of(0, 0, 1, -1), [2, 2], 0);
    assert.deepEqual([...scales], [1, Math.fround(1 / 127)]);
    assert.deepEqual([...q], [0, 0, 127, -127]);
  });

  test('rank-3 Conv1D weight [M, C, k]: channels are the outer axis', () => {
    const w = Float32Array.from({ length: 2 * 3 * 4 }, (_, i) => (i < 12 ? i / 11 : -(i - 12) / 2.2));
    const { scales } = quantiseWeightsPerChannel(w, [2, 3, 4], 0);
    assert.deepEqual([...scales], [Math.fround(1 / 127), Math.fround(5 / 127)]);
  });
});

describe('per-tensor or per-channel weights (quantiseLayerWeights)', () => {
  test('channel scales within the spread bound: one scale for the tensor, max|w| / 127', () => {
    // Rows (axis 0) peak at 1.27 and 1.016: spread 1.25 ≤ 2.
    const w = Float32Array.of(1.27, -0.5, 0.01, -1.016, 0.3, 0);
    const r = quantiseLayerWeights(w, [2, 3], 0);
    assert.equal(r.perTensor, true);
    assert.ok(Math.abs(r.spread - 1.25) < 1e-6, String(r.spread));
    assert.deepEqual([...r.scales], [Math.fround(1.27 / 127)]);
    assert.deepEqual([...r.q], [127, -50, 1, -102, 30, 0]);
    assert.equal(r.channelScaleMax, Math.fround(1.27 / 127));
    assert.equal(r.channelScaleMin, Math.fround(1.016 / 127));
  });

  test('spread channel scales stay per channel', () => {
    // Columns (axis 1) peak at 2.54 and 0.254: spread 10.
    const r = quantiseLayerWeights(Float32Array.of(2.54, 0.1, -1, -0.254), [2, 2], 1);
    assert.equal(r.perTensor, false);
    assert.ok(Math.abs(r.spread - 10) < 1e-5, String(r.spread));
    assert.deepEqual([...r.scales], [Math.fround(2.54 / 127), Math.fround(0.254 / 127)]);
    assert.deepEqual([...r.q], [127, 50, -50, -127]);
  });

  test('the bound is PER_TENSOR_MAX_SPREAD unless given; 1 keeps unequal channels per channel', () => {
    assert.equal(PER_TENSOR_MAX_SPREAD, 2);
    const w = Float32Array.of(1, 0.55); // spread 1/0.55 ≈ 1.82
    assert.equal(quantiseLayerWeights(w, [2], 0).perTensor, true);
    assert.equal(quantiseLayerWeights(w, [2], 0, 1.5).perTensor, false);
    assert.equal(quantiseLayerWeights(w, [2], 0, 1).perTensor, false);
    assert.equal(quantiseLayerWeights(Float32Array.of(1, 0.45), [2], 0).perTensor, false, 'spread 2.2');
    assert.equal(quantiseLayerWeights(Float32Array.of(1, -1), [2], 0, 1).perTensor, true, 'equal channels: nothing to lose');
  });

  test('an all-zero channel (placeholder scale 1) does not count towards the spread', () => {
    const r = quantiseLayerWeights(Float32Array.of(0, 0, 0.9, -1), [4], 0);
    assert.equal(r.perTensor, true);
    assert.ok(Math.abs(r.spread - 1 / 0.9) < 1e-6);
    assert.deepEqual([...r.q], [0, 0, 114, -127]);
  });

  test('a single channel is reported per channel (there is nothing to share)', () => {
    const r = quantiseLayerWeights(Float32Array.of(0.5, -1), [1, 2], 0);
    assert.equal(r.perTensor, false);
    assert.deepEqual([...r.scales], [Math.fround(1 / 127)]);
  });
});

describe('narrow storage (float16 scales, int16/int8 biases)', () => {
  test('halfAtLeast: the smallest float16 value ≥ x, at most 2^-10 above it; NaN outside the normal range', () => {
    assert.equal(halfAtLeast(1), 1);
    assert.equal(halfAtLeast(1 + 2 ** -11), 1 + 2 ** -10);
    assert.equal(halfAtLeast(0.1), 0.10003662109375, '0.0625 × (1 + 615/1024)');
    assert.equal(halfAtLeast(65504), 65504);
    assert.ok(Number.isNaN(halfAtLeast(65505)) && Number.isNaN(halfAtLeast(HALF_MIN_NORMAL / 2)) && Number.isNaN(halfAtLeast(0)));
    for (const x of [3.1e-3, 7.77e-5, 0.02, 1.7, 123.456].map(Math.fround)) {
      const h = halfAtLeast(x);
      assert.ok(h >= x && h <= x * (1 + 2 ** -10), `${x} → ${h}`);
      assert.equal(Math.fround(h), h, 'a float32 value too');
    }
  });

  test('halfBits: IEEE binary16 bit patterns', () => {
    assert.equal(halfBits(1), 0x3c00);
    assert.equal(halfBits(-2), 0xc000);
    assert.equal(halfBits(65504), 0x7bff);
    assert.equal(halfBits(2 ** -14), 0x0400);
    assert.equal(halfBits(halfAtLeast(0.1)), 0x2e67);
    assert.throws(() => halfBits(0.1), RangeError);
  });

  test('halfScales: per-channel scales rounded up to float16, weights quantised with them, none beyond ±127', () => {
    const w = Float32Array.of(0.3, -1.27, 0.0101, 2.5401, 0.002, -0.9);
    const plain = quantiseLayerWeights(w, [3, 2], 1, 1);
    const half = quantiseLayerWeights(w, [3, 2], 1, 1, true);
    assert.equal(plain.halfScales, false);
    assert.equal(half.halfScales, true);
    half.scales.forEach((s, c) => {
      assert.equal(s, halfAtLeast(plain.scales[c]!));
      assert.ok(s >= plain.scales[c]!);
    });
    assert.ok([...half.q].every((v) => Math.abs(v) <= 127));
    assert.ok(half.q.some((v) => Math.abs(v) === 127), 'the largest weight still reaches the end of the range');
    // A scale below float16's normal range keeps float32.
    assert.equal(quantiseLayerWeights(Float32Array.of(1e-3, 1, -1e-3, 2), [2, 2], 1, 1, true).halfScales, false);
    // Per tensor never uses float16 (one float32 scalar).
    assert.equal(quantiseLayerWeights(Float32Array.of(1, -1), [2], 0, 2, true).halfScales, false);
  });

  test('narrowIntBytes: the narrowest integer type that holds every value', () => {
    assert.equal(narrowIntBytes(Int32Array.of(0, 127, -127)), 1);
    assert.equal(narrowIntBytes(Int32Array.of(128)), 2);
    assert.equal(narrowIntBytes(Int32Array.of(-32767, 32767)), 2);
    assert.equal(narrowIntBytes(Int32Array.of(32768)), 4);
    assert.equal(narrowIntBytes(Int32Array.of(-(2 ** 31 - 1))), 4);
  });
});

describe('activation parameters', () => {
  test('uint8: a positive range is widened to start at 0 (zero point 0)', () => {
    const p = activationParams(0.5, 2.55, 'uint8');
    assert.equal(p.zeroPoint, 0);
    assert.ok(Math.abs(p.scale - 0.01) < 1e-9);
  });

  test('uint8 and int8 on a symmetric range; all-negative range has its zero at the top', () => {
    // The float32 scale is a hair above 2/255, so −1/scale lands just under the tie: 127.
    assert.deepEqual(activationParams(-1, 1, 'uint8'), { scale: Math.fround(2 / 255), zeroPoint: 127 });
    assert.deepEqual(activationParams(-1, 1, 'int8'), { scale: Math.fround(2 / 255), zeroPoint: -1 });
    assert.equal(activationParams(-2, -1, 'uint8').zeroPoint, 255);
    assert.equal(activationParams(-2, -1, 'int8').zeroPoint, 127);
  });

  test('0 is exactly representable for any range', () => {
    for (const [lo, hi] of [[-0.37, 5.1], [-3, 0.2], [0.1, 0.9], [-7.77, -0.01], [-1e-3, 1e3]] as const) {
      for (const type of ['uint8', 'int8'] as const) assert.equal(quantiseDequantise(0, activationParams(lo, hi, type), type), 0, `${lo}..${hi} ${type}`);
    }
  });

  test('a degenerate range gives scale 1, never 0', () => {
    assert.deepEqual(activationParams(0, 0, 'uint8'), { scale: 1, zeroPoint: 0 });
  });
});

describe('bias', () => {
  test('int32 with scale = input scale × weight scale of its channel, zero point 0', () => {
    const b = quantiseBias(Float32Array.of(0.5, -1), 0.1, Float32Array.of(0.01, 0.02));
    assert.ok(Math.abs(b.scales[0]! - 0.001) < 1e-9 && Math.abs(b.scales[1]! - 0.002) < 1e-9);
    assert.deepEqual([...b.q], [500, -500]);
    assert.equal(b.clamped, 0);
  });

  test('values beyond int32 are clamped and counted', () => {
    const b = quantiseBias(Float32Array.of(1e6), 1e-6, Float32Array.of(1e-6));
    assert.equal(b.q[0], 2 ** 31 - 1);
    assert.equal(b.clamped, 1);
  });
});

describe('calibration observers', () => {
  const data = new Float32Array(10_001);
  for (let i = 0; i < 10_000; i++) data[i] = -1 + (2 * i) / 9999;
  data[10_000] = 100; // one outlier

  test('min-max keeps the outlier; the 99.9th percentile of |x| clips it', () => {
    const mm = new MinMaxObserver();
    mm.observe(data.subarray(0, 5000));
    mm.observe(data.subarray(5000));
    assert.deepEqual(mm.range(), { min: -1, max: 100 });
    const h = new AbsHistogram(100);
    h.observe(data);
    const a = h.percentile(99.9);
    assert.ok(a >= 1 && a < 1.1, `clip at ${a}`);
    const clipped = clipRange(mm.range(), a);
    assert.equal(clipped.min, -1);
    assert.ok(clipped.max < 1.1);
  });

  test('a one-sided range keeps its floor at 0', () => {
    const h = new AbsHistogram(4);
    h.observe(Float32Array.of(0, 1, 2, 3, 4));
    assert.equal(clipRange({ min: 0, max: 4 }, h.percentile(100)).min, 0);
    assert.equal(h.percentile(100), 4);
  });
});
