/**
 * 7-bit weights by default (quantisation.reduceRange): ORT's uint8 × int8 kernels on x86 CPUs
 * without VNNI add pairs of products into a saturating int16, so full-range weights meeting large
 * activations come out wrong. This machine class (AMD EPYC Zen 3, AVX2, no VNNI) failed the
 * quantiser's accuracy tests with full-range weights (max |int8 − fp32| 2.65 on outputs up to
 * 9.6). The worst case here saturates on such CPUs with full-range weights; the default must be
 * close to fp32 on every CPU, and the opt-out must really be full range.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DataType, decodeModel, floatTensor, node, tensorValueInfo } from '../../cloud-hub/onnx/index.ts';
import { quantiseDynamic, quantiseStatic } from '../../cloud-hub/quantise/index.ts';
import { errorAgainstFp32 } from '../support/quantise-check.ts';
import { buildModel } from '../support/onnx-models.ts';

/** The largest |q| among the model's int8 weight tensors. */
function largestWeight(model: Uint8Array): number {
  const inits = decodeModel(model).graph?.initializer ?? [];
  let max = 0;
  for (const t of inits) {
    if (t.dataType !== DataType.INT8 || !t.rawData || t.rawData.length < 8) continue;
    for (const b of new Int8Array(t.rawData.buffer, t.rawData.byteOffset, t.rawData.length)) max = Math.max(max, Math.abs(b));
  }
  return max;
}

/**
 * y = x · W with x in [0, 1] (calibrated to uint8 0…255) and W's columns ±1 in pairs of equal
 * sign down the rows, so adjacent uint8 × int8 products add up to 2 × 255 × 127 where weights use
 * the full range: past int16 on a non-VNNI x86 kernel.
 */
function worstCase(): { fp32: Uint8Array; x: { data: Float32Array; shape: number[] } } {
  const k = 32;
  const n = 4;
  const w = Float32Array.from({ length: k * n }, (_, i) => {
    const row = Math.floor(i / n);
    const col = i % n;
    // Column 0 all +1 (on a row of ones its output is 32: every pair saturates the same way); the
    // others alternate in pairs.
    return col === 0 || (Math.floor(row / 2) + col) % 2 === 0 ? 1 : -1;
  });
  const fp32 = buildModel({
    input: tensorValueInfo('x', DataType.FLOAT, ['N', k]),
    output: tensorValueInfo('y', DataType.FLOAT, ['N', n]),
    initialisers: [floatTensor('W', [k, n], w), floatTensor('B', [n], new Float32Array(n))],
    nodes: [node('Gemm', ['x', 'W', 'B'], ['y'])],
  });
  // Rows of ones (every activation at 255) and rows of ramps, so calibration spans [0, 1].
  const rows = 64;
  const data = Float32Array.from({ length: rows * k }, (_, i) => (Math.floor(i / k) % 2 === 0 ? 1 : (i % k) / k));
  return { fp32, x: { data, shape: [rows, k] } };
}

describe('weight range', () => {
  test('static: 7-bit weights by default, exact even where pairs of full-range products would saturate int16', async () => {
    const { fp32, x } = worstCase();
    const { model, report } = await quantiseStatic(fp32, x);
    assert.equal(report.weightBits, 7);
    assert.equal(largestWeight(model), 63);
    const err = await errorAgainstFp32(fp32, model, x);
    // Outputs are sums of ±1 over [0, 1] inputs (up to 32); int8 rounding alone is far below 0.2.
    assert.ok(err.max < 0.2, `max |int8 − fp32| ${err.max} on outputs up to ${err.range}`);
  });

  test('static: reduceRange false gives full-range weights (|q| up to 127) and says so', async (t) => {
    const { fp32, x } = worstCase();
    const { model, report } = await quantiseStatic(fp32, x, { reduceRange: false });
    assert.equal(report.weightBits, 8);
    assert.equal(largestWeight(model), 127);
    // Not asserted (it depends on the CPU): how far full range lands here.
    const err = await errorAgainstFp32(fp32, model, x);
    t.diagnostic(`full-range weights on this CPU: max |int8 − fp32| ${err.max.toFixed(3)} on outputs up to ${err.range.toFixed(1)}`);
  });

  test('dynamic: 7-bit weights by default too (DynamicQuantizeLinear makes uint8 activations)', async () => {
    const { fp32, x } = worstCase();
    const reduced = await quantiseDynamic(fp32);
    assert.equal(reduced.report.weightBits, 7);
    assert.equal(largestWeight(reduced.model), 63);
    const err = await errorAgainstFp32(fp32, reduced.model, x);
    assert.ok(err.max < 0.2, `max |int8 − fp32| ${err.max}`);
    const full = await quantiseDynamic(fp32, { reduceRange: false });
    assert.equal(largestWeight(full.model), 127);
  });
});
