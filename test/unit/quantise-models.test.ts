/**
 * The quantiser on real models in real ONNX Runtime sessions: static QDQ on an MLP, a 1-D CNN
 * and the exporter's own output (loads, runs, stays close to fp32, shrinks, passes the ONNX
 * checker, and ORT fuses it into integer kernels); an operator without an integer kernel stays
 * float and is reported; percentile calibration ignores an outlier; dynamic mode; and the clear
 * errors an invalid or unsupported upload gets.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { isEdgehiveError } from '../../shared/errors/index.ts';
import { loadOrt, OnnxSession } from '../../shared/inference/index.ts';
import { exportOnnx } from '../../cloud-hub/export/index.ts';
import type { GraphNode, ModelGraph } from '../../cloud-hub/model/graph.ts';
import { nodeToLayerSpec, outputShapeOf } from '../../cloud-hub/model/shapes.ts';
import { attr, DataType, decodeModel, encodeModel, floatTensor, int8Tensor, node, onnx, tensorValueInfo } from '../../cloud-hub/onnx/index.ts';
import { inspectModel, quantiseDynamic, quantiseStatic, type QuantReport } from '../../cloud-hub/quantise/index.ts';
import { checkOnnxModel, onnxCheckerSkip } from '../support/onnx-checker.ts';
import { benchConvNet, buildModel, convNet, mlpModel, randomInputs, seeded, tanhModel } from '../support/onnx-models.ts';

const checkerSkip = onnxCheckerSkip();
const tmp = mkdtempSync(join(tmpdir(), 'eh-quantise-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

async function outputs(model: Uint8Array, x: { data: Float32Array; shape: number[] }): Promise<Float32Array> {
  const s = await OnnxSession.load(model);
  try {
    return (await s.run(x.data, x.shape)).data;
  } finally {
    await s.close();
  }
}

async function errorAgainstFp32(fp32: Uint8Array, int8: Uint8Array, x: { data: Float32Array; shape: number[] }): Promise<{ max: number; mean: number; range: number }> {
  const [a, b] = [await outputs(fp32, x), await outputs(int8, x)];
  let max = 0;
  let sum = 0;
  let range = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    max = Math.max(max, d);
    sum += d;
    range = Math.max(range, Math.abs(a[i]!));
  }
  return { max, mean: sum / a.length, range };
}

/** The op types ORT actually runs after its graph optimisations. */
async function optimisedOps(model: Uint8Array, name: string): Promise<string[]> {
  const ort = await loadOrt();
  const file = join(tmp, `${name}.opt.onnx`);
  const s = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'extended', optimizedModelFilePath: file, intraOpNumThreads: 1 });
  await s.release();
  return (decodeModel(readFileSync(file)).graph!.node ?? []).map((n) => n.opType ?? '');
}

function check(model: Uint8Array): void {
  if (!checkerSkip) checkOnnxModel(model);
}

function statusOf(report: QuantReport, name: string): string | undefined {
  return report.nodes.find((n) => n.name === name)?.status;
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(isEdgehiveError(e), `expected an EdgehiveError, got ${String(e)}`);
    return `${e.code}: ${e.message}`;
  }
  return assert.fail('expected an error');
}

describe('static QDQ quantisation', () => {
  test('MLP (Gemm, MatMul+Add, Relu): runs close to fp32, ≤ 30 % of the size, fused into integer kernels', async (t) => {
    const fp32 = mlpModel();
    const { model, report } = await quantiseStatic(fp32, randomInputs(128, [64]), { method: 'minmax' });
    const err = await errorAgainstFp32(fp32, model, randomInputs(64, [64], 99));
    t.diagnostic(`mlp: ${model.length}/${fp32.length} bytes = ${(model.length / fp32.length).toFixed(3)}; max |Δ| ${err.max.toFixed(4)}, mean |Δ| ${err.mean.toFixed(4)} (outputs up to ${err.range.toFixed(2)})`);
    assert.ok(err.max < 0.05 * err.range && err.mean < 0.01 * err.range, JSON.stringify(err));
    assert.ok(model.length <= 0.3 * fp32.length, `${model.length} > 30 % of ${fp32.length}`);
    assert.deepEqual(report.nodes.map((n) => [n.name, n.status]), [
      ['dense1', 'quantised'], ['relu1', 'folded'], ['dense2_matmul', 'quantised'], ['dense2_bias', 'float'], ['relu2', 'float'], ['head', 'quantised'],
    ]);
    const dense1 = report.nodes[0]!;
    assert.equal(dense1.weight?.channels, 256);
    assert.equal(dense1.output?.zeroPoint, 0, 'Relu folded: output range starts at 0');
    assert.equal(report.nodes.find((n) => n.name === 'head')?.weight?.axis, 0, 'Gemm transB=1 weight [out, in]: channels on axis 0');
    assert.ok(!(await optimisedOps(model, 'mlp')).some((op) => op === 'MatMul' || op === 'Gemm'), 'every MatMul/Gemm became an integer kernel');
    check(model);
  });

  test('1-D CNN (Conv, Relu, MaxPool, GlobalAveragePool, Flatten, Gemm): QLinearConv after ORT optimisation', async (t) => {
    const fp32 = convNet();
    const { model, report } = await quantiseStatic(fp32, randomInputs(64, [8, 64]), { method: 'percentile', percentile: 99.99 });
    const err = await errorAgainstFp32(fp32, model, randomInputs(32, [8, 64], 42));
    t.diagnostic(`conv: ${(model.length / fp32.length).toFixed(3)} of fp32 size; max |Δ| ${err.max.toFixed(4)}, mean ${err.mean.toFixed(4)} (outputs up to ${err.range.toFixed(2)})`);
    assert.ok(err.max < 0.05 * err.range && err.mean < 0.01 * err.range, JSON.stringify(err));
    assert.ok(report.nodes.every((n) => n.status !== 'float'), report.nodes.map((n) => `${n.name}:${n.status}`).join(' '));
    assert.equal(report.method, 'percentile');
    // He-uniform filters have near-equal channel scales: per-tensor weights, still QLinearConv.
    assert.ok(report.nodes.filter((n) => n.opType === 'Conv').every((n) => n.weight?.perTensor), report.nodes.map((n) => `${n.name}:${n.weight?.perTensor}`).join(' '));
    const ops = await optimisedOps(model, 'conv');
    assert.equal(ops.filter((op) => op === 'QLinearConv').length, 2, ops.join(' '));
    assert.ok(ops.includes('QLinearGlobalAveragePool') && ops.includes('QGemm') && !ops.includes('Conv'), ops.join(' '));
    check(model);
  });

  test('the ≥ 10 MFLOP benchmark CNN shrinks to ≤ 30 % and stays close', async (t) => {
    const fp32 = benchConvNet();
    const { model } = await quantiseStatic(fp32, randomInputs(32, [8, 256]), { activationType: 'int8' });
    const err = await errorAgainstFp32(fp32, model, randomInputs(8, [8, 256], 5));
    t.diagnostic(`bench conv (int8 activations): ${(model.length / fp32.length).toFixed(3)} of fp32; max |Δ| ${err.max.toFixed(4)} of ${err.range.toFixed(2)}`);
    assert.ok(model.length <= 0.3 * fp32.length);
    assert.ok(err.max < 0.05 * err.range, JSON.stringify(err));
    check(model);
  });

  test('an exported model (exportOnnx) quantises and keeps Softmax in float', async () => {
    const r = seeded(11);
    const w = (shape: number[]) => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (r() - 0.5) * 0.5) });
    const layers: GraphNode[] = [
      { kind: 'conv1d', filters: 16, kernelSize: 5, stride: 1, padding: 'same', activation: 'relu', kernel: w([5, 4, 16]), bias: w([16]) },
      { kind: 'maxPool1d', poolSize: 2, stride: 2 },
      { kind: 'globalAvgPool1d' },
      { kind: 'dense', units: 3, activation: 'softmax', kernel: w([16, 3]), bias: w([3]) },
    ];
    const graph: ModelGraph = { name: 'exported', inputShape: [32, 4], outputShape: outputShapeOf([32, 4], layers.map(nodeToLayerSpec)), layers };
    const fp32 = exportOnnx(graph);
    const { model, report } = await quantiseStatic(fp32, randomInputs(64, [32, 4]));
    const err = await errorAgainstFp32(fp32, model, randomInputs(16, [32, 4], 3));
    assert.ok(err.max < 0.02, JSON.stringify(err));
    assert.equal(report.nodes.find((n) => n.opType === 'Softmax')?.status, 'float');
    assert.ok(report.nodes.some((n) => n.opType === 'Conv' && n.status === 'quantised'));
    check(model);
  });

  test('small dense autoencoders (exportOnnx, as the anomaly recipes): the QDQ overhead stays small, outputs unchanged, QGemm everywhere', async (t) => {
    // Before the overhead cuts (per-weight zero points and bias scales, long names, a Q/DQ pair
    // around Flatten) the ~53 KB model's int8 was 0.38 of fp32 and the ~6 KB one's 1.11; before
    // per-tensor weights for layers whose channel scales are nearly equal, 0.307 and 0.566.
    const r = seeded(21);
    const w = (shape: number[]) => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (r() - 0.5) * 0.4) });
    const autoencoder = (steps: number, features: number, units: readonly number[]): Uint8Array => {
      const layers: GraphNode[] = [{ kind: 'flatten' }];
      let fanIn = steps * features;
      for (const [i, u] of [...units, steps * features].entries()) {
        layers.push({ kind: 'dense', units: u, activation: i === units.length ? 'linear' : 'relu', kernel: w([fanIn, u]), bias: w([u]) });
        fanIn = u;
      }
      layers.push({ kind: 'reshape', shape: [steps, features] });
      return exportOnnx({ name: 'ae', inputShape: [steps, features], outputShape: outputShapeOf([steps, features], layers.map(nodeToLayerSpec)), layers });
    };
    for (const [label, fp32, shape, bound] of [
      ['53 KB', autoencoder(32, 4, [48, 8, 48]), [32, 4], 0.3],
      ['6 KB', autoencoder(32, 1, [16, 4, 16]), [32, 1], 0.55],
    ] as const) {
      const { model, report } = await quantiseStatic(fp32, randomInputs(128, shape));
      const ratio = model.length / fp32.length;
      const err = await errorAgainstFp32(fp32, model, randomInputs(32, shape, 5));
      t.diagnostic(`${label} autoencoder: ${model.length}/${fp32.length} B = ${ratio.toFixed(3)}; max |Δ| ${err.max.toFixed(4)} of ${err.range.toFixed(2)}`);
      assert.ok(ratio < bound, `${label}: int8/fp32 ${ratio.toFixed(3)} ≥ ${bound}`);
      assert.ok(err.max < 0.05 * err.range, JSON.stringify(err));
      assert.equal(report.quantisedNodes, 5, report.nodes.map((n) => `${n.name}:${n.status}`).join(' '));
      const ops = await optimisedOps(model, `ae-${shape[1]}`);
      assert.equal(ops.filter((op) => op === 'QGemm').length, 4, ops.join(' '));
      assert.ok(!ops.includes('Gemm') && !ops.includes('DequantizeLinear'), ops.join(' '));
      const g = decodeModel(model).graph!;
      // Flatten runs on the quantised input: Q(x) → Flatten → DQ, no DQ → Flatten → Q pair.
      const flatten = g.node!.find((n) => n.opType === 'Flatten')!;
      assert.equal(g.node!.find((n) => n.output?.[0] === flatten.input?.[0])?.opType, 'QuantizeLinear');
      assert.equal(g.node!.filter((n) => n.opType === 'QuantizeLinear').length, 4, 'the input and three hidden activations');
      // Generated nodes carry no name and generated tensors short ones.
      for (const n of g.node!.filter((x) => /QuantizeLinear|^Mul$/.test(x.opType ?? ''))) {
        assert.ok(!n.name, `generated ${n.opType} named ${n.name}`);
        assert.ok((n.output ?? []).every((o) => o.length <= 4), `${n.opType} writes ${n.output?.join(', ')}`);
      }
      check(model);
    }
  });

  test('a layer with near-equal channel scales is quantised per tensor, one with spread scales per channel; both fuse to QGemm', async (t) => {
    const r = seeded(5);
    const uniform = (n: number, limit: number) => Float32Array.from({ length: n }, () => (r() * 2 - 1) * limit);
    // W1 [16, 32]: every column ±0.6 (channel scales within a few %). W2 [32, 8]: column j scaled
    // by 1 + j, so its channel scales spread about 8×.
    const w2 = uniform(32 * 8, 0.4).map((v, i) => v * (1 + (i % 8)));
    const fp32 = buildModel({
      input: tensorValueInfo('x', DataType.FLOAT, ['N', 16]),
      output: tensorValueInfo('y', DataType.FLOAT, ['N', 8]),
      initialisers: [
        floatTensor('W1', [16, 32], uniform(16 * 32, 0.6)), floatTensor('B1', [32], uniform(32, 0.1)),
        floatTensor('W2', [32, 8], w2), floatTensor('B2', [8], uniform(8, 0.1)),
      ],
      nodes: [node('Gemm', ['x', 'W1', 'B1'], ['h'], [], 'even'), node('Relu', ['h'], ['r'], [], 'relu'), node('Gemm', ['r', 'W2', 'B2'], ['y'], [], 'spread')],
    });
    const calib = randomInputs(128, [16]);
    const held = randomInputs(64, [16], 9);
    const { model, report } = await quantiseStatic(fp32, calib);
    const even = report.nodes.find((n) => n.name === 'even')!.weight!;
    const spread = report.nodes.find((n) => n.name === 'spread')!.weight!;
    assert.equal(even.perTensor, true, JSON.stringify(even));
    assert.ok(even.scaleMax / even.scaleMin <= 2, JSON.stringify(even));
    assert.match(report.nodes.find((n) => n.name === 'even')!.detail, /per tensor/);
    assert.equal(spread.perTensor, false, JSON.stringify(spread));
    assert.ok(spread.scaleMax / spread.scaleMin > 4, JSON.stringify(spread));
    assert.match(report.nodes.find((n) => n.name === 'spread')!.detail, /per channel \(axis 1\)/);

    // Stored as such: the per-tensor weight's DQ reads a scalar scale and zero point, the other's [8].
    const g = decodeModel(model).graph!;
    const inits = new Map((g.initializer ?? []).map((x) => [x.name ?? '', x] as const));
    const weightDQs = (g.node ?? []).filter((n) => n.opType === 'DequantizeLinear' && inits.get(n.input![0]!)?.dataType === DataType.INT8);
    assert.deepEqual(weightDQs.map((n) => [(inits.get(n.input![1]!)!.dims ?? []).map(Number), (inits.get(n.input![2]!)!.dims ?? []).map(Number)]), [[[], []], [[8], [8]]]);

    // Nothing visible lost against all per-channel, and ORT still fuses both into QGemm.
    const perChannel = await quantiseStatic(fp32, calib, { perTensorMaxSpread: 1 });
    assert.ok(perChannel.report.nodes.every((n) => !n.weight?.perTensor));
    const [errMixed, errPc] = [await errorAgainstFp32(fp32, model, held), await errorAgainstFp32(fp32, perChannel.model, held)];
    t.diagnostic(`mixed ${model.length} B, max |Δ| ${errMixed.max.toFixed(4)} mean ${errMixed.mean.toFixed(5)}; all per channel ${perChannel.model.length} B, max |Δ| ${errPc.max.toFixed(4)} mean ${errPc.mean.toFixed(5)} (outputs up to ${errPc.range.toFixed(2)})`);
    assert.ok(model.length < perChannel.model.length);
    assert.ok(errMixed.mean < 0.01 * errMixed.range, JSON.stringify(errMixed));
    assert.ok(errMixed.mean < 1.5 * errPc.mean && errMixed.max < 1.5 * errPc.max, `per tensor ${JSON.stringify(errMixed)} vs all per channel ${JSON.stringify(errPc)}`);
    const ops = await optimisedOps(model, 'mixed-granularity');
    assert.equal(ops.filter((op) => op === 'QGemm').length, 2, ops.join(' '));
    assert.ok(!ops.includes('Gemm') && !ops.includes('DequantizeLinear'), ops.join(' '));
    check(model);
  });

  test('zero points: left out of Conv weight and bias DQs (ORT still fuses QLinearConv), kept on Gemm weights (ORT 1.30 does not fuse QGemm without)', async () => {
    const { model } = await quantiseStatic(convNet(), randomInputs(64, [8, 64]));
    const g = decodeModel(model).graph!;
    const inits = new Map((g.initializer ?? []).map((x) => [x.name ?? '', x] as const));
    const consumerOf = (t: string) => g.node!.find((n) => n.input?.includes(t))!;
    const weightDQs = g.node!.filter((n) => n.opType === 'DequantizeLinear' && inits.get(n.input![0]!)?.dataType === DataType.INT8);
    const convWeightDQs = weightDQs.filter((n) => consumerOf(n.output![0]!).opType === 'Conv');
    const gemmWeightDQs = weightDQs.filter((n) => consumerOf(n.output![0]!).opType === 'Gemm');
    assert.equal(convWeightDQs.length, 2);
    assert.equal(gemmWeightDQs.length, 1);
    assert.ok(convWeightDQs.every((n) => n.input!.length === 2), 'Conv weight DQs have no zero point');
    assert.ok(gemmWeightDQs.every((n) => n.input!.length === 3), 'the Gemm weight DQ keeps its zero point');
    // Bias DQs (int32, or int16/int8 widened by a Cast) have none either.
    const biasDQs = g.node!.filter((n) => n.opType === 'DequantizeLinear' && consumerOf(n.output![0]!).input?.[2] === n.output![0]);
    assert.equal(biasDQs.length, 3);
    assert.ok(biasDQs.every((n) => n.input!.length === 2));
    const ops = await optimisedOps(model, 'zp-conv');
    assert.equal(ops.filter((op) => op === 'QLinearConv').length, 2, ops.join(' '));
    assert.ok(ops.includes('QGemm') && !ops.includes('Conv') && !ops.includes('Gemm') && !ops.includes('DequantizeLinear'), ops.join(' '));
    check(model);

    // Why the Gemm's stays: without it ORT leaves a float Gemm between DQs. Should a later ORT
    // fuse without it, this fails, and the zero points can go (qdq.ts).
    const m = decodeModel(model);
    for (const n of m.graph!.node!) if (gemmWeightDQs.some((d) => d.output![0] === n.output?.[0])) n.input = n.input!.slice(0, 2);
    const read = new Set(m.graph!.node!.flatMap((n) => n.input ?? []));
    m.graph!.initializer = m.graph!.initializer!.filter((x) => read.has(x.name ?? ''));
    const unfused = await optimisedOps(encodeModel(m), 'zp-gemm-dropped');
    assert.ok(unfused.includes('Gemm') && !unfused.includes('QGemm'), unfused.join(' '));
  });

  test('an hvac-like model (Conv×2, Dense 16, a 256-wide Dense with spread channels): narrow constants, short names, ≤ 0.32 of fp32, fused, outputs close', async (t) => {
    // The hvac-anomaly recipe's shape: [64, 4] → conv 5 → pool 2 → conv 3 → pool 4 → dense 16 →
    // dense 256 → reshape [64, 4]. Its output layer's channel scales spread 2.5× (trained ones
    // do, 2.40 in bench:inference), so it stays per channel: 256 scales, zero points and biases.
    const r = seeded(31);
    const w = (shape: number[], limit: number, colSpread = 1) => {
      const cols = shape.at(-1)!;
      return { shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => (r() * 2 - 1) * limit * (1 + (colSpread - 1) * ((i % cols) % 4) / 3)) };
    };
    const layers: GraphNode[] = [
      { kind: 'conv1d', filters: 16, kernelSize: 5, stride: 1, padding: 'same', activation: 'relu', kernel: w([5, 4, 16], 0.5), bias: w([16], 0.1) },
      { kind: 'maxPool1d', poolSize: 2, stride: 2 },
      { kind: 'conv1d', filters: 16, kernelSize: 3, stride: 1, padding: 'same', activation: 'relu', kernel: w([3, 16, 16], 0.35), bias: w([16], 0.1) },
      { kind: 'maxPool1d', poolSize: 4, stride: 4 },
      { kind: 'flatten' },
      { kind: 'dense', units: 16, activation: 'relu', kernel: w([128, 16], 0.2), bias: w([16], 0.1) },
      { kind: 'dense', units: 256, activation: 'linear', kernel: w([16, 256], 0.3, 2.5), bias: w([256], 0.2) },
      { kind: 'reshape', shape: [64, 4] },
    ];
    const fp32 = exportOnnx({ name: 'hvac-like', inputShape: [64, 4], outputShape: outputShapeOf([64, 4], layers.map(nodeToLayerSpec)), layers });
    const { model, report } = await quantiseStatic(fp32, randomInputs(128, [64, 4]));
    const ratio = model.length / fp32.length;
    const err = await errorAgainstFp32(fp32, model, randomInputs(32, [64, 4], 6));
    t.diagnostic(`hvac-like: ${model.length}/${fp32.length} B = ${ratio.toFixed(3)}; max |Δ| ${err.max.toFixed(4)}, mean ${err.mean.toFixed(5)} of ${err.range.toFixed(2)}`);
    // 0.366 before the narrow constants and short names (trained hvac-anomaly: 0.366 → 0.319).
    assert.ok(ratio <= 0.32, `int8/fp32 ${ratio.toFixed(3)}`);
    assert.ok(err.max < 0.05 * err.range && err.mean < 0.01 * err.range, JSON.stringify(err));
    const out = report.nodes.filter((n) => n.weight).at(-1)!.weight!;
    assert.equal(out.perTensor, false, JSON.stringify(out));
    assert.equal(out.channels, 256);

    const g = decodeModel(model).graph!;
    const inits = new Map((g.initializer ?? []).map((x) => [x.name ?? '', x] as const));
    const producer = (name: string) => g.node!.find((n) => n.output?.includes(name));
    // The wide layer's weight DQ: float16 scales widened by a Cast, zero points from a ConstantOfShape.
    const wideDQ = g.node!.find((n) => n.opType === 'DequantizeLinear' && (inits.get(n.input![0]!)?.dims ?? []).map(Number).join() === '16,256')!;
    const scaleCast = producer(wideDQ.input![1]!)!;
    assert.equal(scaleCast.opType, 'Cast');
    const halfScales = inits.get(scaleCast.input![0]!)!;
    assert.equal(halfScales.dataType, DataType.FLOAT16);
    assert.equal(halfScales.rawData?.length, 512);
    assert.equal(producer(wideDQ.input![2]!)?.opType, 'ConstantOfShape');
    assert.ok(![...inits.values()].some((x) => x.dataType === DataType.INT8 && (x.dims ?? []).map(Number).join() === '256'), 'no stored 256 zero points');
    // Every bias DQ reads an int16 (or int8) tensor through a Cast to int32; nothing stored as int32.
    const biasCasts = g.node!.filter((n) => n.opType === 'Cast' && Number(n.attribute?.[0]?.i) === DataType.INT32);
    assert.equal(biasCasts.length, 4);
    assert.ok(biasCasts.every((n) => [DataType.INT16, DataType.INT8].includes(inits.get(n.input![0]!)!.dataType!)));
    assert.ok(![...inits.values()].some((x) => x.dataType === DataType.INT32));
    // No node names; every tensor but the graph's input and output has a short name.
    assert.ok(g.node!.every((n) => !n.name), g.node!.map((n) => n.name).join(' '));
    const io = new Set([g.input![0]!.name!, g.output![0]!.name!]);
    const tensors = new Set([...g.node!.flatMap((n) => [...(n.input ?? []), ...(n.output ?? [])]), ...inits.keys()]);
    assert.ok([...tensors].every((x) => io.has(x) || /^[a-z]\d{1,3}$/.test(x)), [...tensors].filter((x) => !/^[a-z]\d{1,3}$/.test(x)).join(' '));
    assert.deepEqual([...io], ['input', 'output']);

    // ORT folds the Casts and the ConstantOfShape at load and still fuses every layer.
    const ops = await optimisedOps(model, 'hvac-like');
    assert.equal(ops.filter((op) => op === 'QLinearConv').length, 2, ops.join(' '));
    assert.equal(ops.filter((op) => op === 'QGemm').length, 2, ops.join(' '));
    assert.ok(!ops.some((op) => ['Conv', 'Gemm', 'DequantizeLinear', 'Cast', 'ConstantOfShape'].includes(op)), ops.join(' '));
    check(model);
  });

  test('perTensorMaxSpread below 1 is refused', async () => {
    await assert.rejects(quantiseStatic(mlpModel(), randomInputs(8, [64]), { perTensorMaxSpread: 0.5 }), (e) => isEdgehiveError(e, 'EH_BAD_REQUEST'));
  });

  test('an operator without an integer kernel (Tanh) stays float and the report says why', async () => {
    const fp32 = tanhModel();
    const { model, report } = await quantiseStatic(fp32, randomInputs(64, [16]));
    assert.equal(statusOf(report, 'tanh1'), 'float');
    assert.match(report.nodes.find((n) => n.name === 'tanh1')!.detail, /Tanh/);
    assert.equal(statusOf(report, 'dense1'), 'quantised');
    assert.equal(statusOf(report, 'dense2'), 'quantised');
    assert.equal(statusOf(report, 'reshape'), 'float', 'nothing quantised after it');
    assert.equal(report.quantisedNodes, 2);
    assert.equal(report.floatNodes, 2);
    const err = await errorAgainstFp32(fp32, model, randomInputs(32, [16], 8));
    assert.ok(err.max < 0.05 * err.range, JSON.stringify(err));
    const g = decodeModel(model).graph!;
    assert.equal(g.output?.[0]?.type?.tensorType?.elemType, DataType.FLOAT, 'the graph output stays float32');
    check(model);
  });

  test('percentile calibration clips an input outlier that min-max keeps', async () => {
    const calib = randomInputs(64, [64]);
    calib.data[5] = 500;
    const mm = await quantiseStatic(mlpModel(), calib, { method: 'minmax' });
    const pc = await quantiseStatic(mlpModel(), calib, { method: 'percentile', percentile: 99.9 });
    const sMm = mm.report.nodes[0]!.input!.scale;
    const sPc = pc.report.nodes[0]!.input!.scale;
    assert.ok(sMm > 500 / 255 * 0.99, `min-max scale ${sMm} covers the outlier`);
    assert.ok(sPc < 3 / 255 * 1.5, `percentile scale ${sPc} ignores it`);
  });

  test('weights held in Constant nodes (as PyTorch exports them) are quantised too', async () => {
    const m = decodeModel(mlpModel({ inputs: 8, hidden: [64, 64], outputs: 2 }));
    const g = m.graph!;
    const w2 = g.initializer!.find((t) => t.name === 'W2')!;
    g.initializer = g.initializer!.filter((t) => t !== w2);
    g.node = [node('Constant', [], ['W2'], [attr('value', w2)], 'w2_const'), ...g.node!];
    const fp32 = encodeModel(m);
    const { model, report } = await quantiseStatic(fp32, randomInputs(128, [8]));
    assert.equal(statusOf(report, 'dense2_matmul'), 'quantised');
    const err = await errorAgainstFp32(fp32, model, randomInputs(16, [8], 4));
    assert.ok(err.max < 0.05 * err.range, JSON.stringify(err));
  });

  test('calibration data that does not match its shape is refused', async () => {
    await assert.rejects(quantiseStatic(mlpModel(), { data: new Float32Array(10), shape: [2, 64] }), (e) => isEdgehiveError(e, 'EH_DATA_INSUFFICIENT'));
  });
});

describe('dynamic quantisation', () => {
  test('MatMul/Gemm: int8 weights, run-time activations; fused to DynamicQuantizeMatMul; checker-valid', async (t) => {
    const fp32 = mlpModel();
    const { model, report } = await quantiseDynamic(fp32);
    const err = await errorAgainstFp32(fp32, model, randomInputs(64, [64], 99));
    t.diagnostic(`dynamic mlp: ${(model.length / fp32.length).toFixed(3)} of fp32; max |Δ| ${err.max.toFixed(4)}, mean ${err.mean.toFixed(4)}`);
    assert.ok(err.max < 0.05 * err.range, JSON.stringify(err));
    assert.ok(model.length <= 0.3 * fp32.length);
    assert.equal(report.mode, 'dynamic');
    assert.equal(report.quantisedNodes, 3);
    assert.equal(statusOf(report, 'relu1'), 'float');
    const ops = await optimisedOps(model, 'dyn');
    assert.equal(ops.filter((op) => op === 'DynamicQuantizeMatMul').length, 3, ops.join(' '));
    check(model);
  });
});

describe('inspectModel and upload errors', () => {
  test('lists input, output, opset and what each node would become', () => {
    const info = inspectModel(convNet());
    assert.equal(info.opset, 17);
    assert.deepEqual(info.inputs, [{ name: 'x', elemType: 'float', shape: ['N', 8, 64] }]);
    assert.equal(info.outputs[0]?.name, 'y');
    assert.deepEqual(info.nodes.map((n) => n.opType), ['Conv', 'Relu', 'MaxPool', 'Conv', 'Relu', 'GlobalAveragePool', 'Flatten', 'Gemm']);
    assert.ok(info.nodes.every((n) => n.quantisable));
    const tanh = inspectModel(tanhModel()).nodes.find((n) => n.opType === 'Tanh');
    assert.equal(tanh?.quantisable, false);
    assert.match(tanh?.reason ?? '', /no integer kernel/);
  });

  test('bytes that are not ONNX', () => {
    assert.match(codeOf(() => inspectModel(new TextEncoder().encode('this is a CSV file, not a model'))), /^EH_MODEL_INVALID: .*not an ONNX model/);
    assert.match(codeOf(() => inspectModel(new Uint8Array())), /^EH_MODEL_INVALID/);
  });

  test('opset 11 (no per-axis QuantizeLinear) names the opset', () => {
    assert.match(codeOf(() => inspectModel(mlpModel({ inputs: 4, hidden: [4, 4], outputs: 2, opset: 11 }))), /^EH_MODEL_UNSUPPORTED: .*opset 11.*opset 13/);
  });

  const w = floatTensor('W', [4, 2], new Float32Array(8));
  test('two inputs, a non-float input, external data, an already quantised model', () => {
    const two = encodeModel({
      irVersion: 8, opsetImport: [{ domain: '', version: 17 }],
      graph: {
        name: 'two', node: [node('Add', ['a', 'b'], ['y'])],
        input: [tensorValueInfo('a', DataType.FLOAT, [1, 4]), tensorValueInfo('b', DataType.FLOAT, [1, 4])], output: [tensorValueInfo('y', DataType.FLOAT, [1, 4])],
      },
    });
    assert.match(codeOf(() => inspectModel(two)), /^EH_MODEL_UNSUPPORTED: model has 2 inputs \(a, b\)/);

    const ints = buildModel({ input: tensorValueInfo('x', DataType.INT64, ['N', 4]), output: tensorValueInfo('y', DataType.FLOAT, ['N', 4]), initialisers: [], nodes: [node('Cast', ['x'], ['y'], [attr('to', DataType.FLOAT)])] });
    assert.match(codeOf(() => inspectModel(ints)), /^EH_MODEL_UNSUPPORTED: model input x is int64, not float32/);

    const ext: onnx.ITensorProto = { name: 'W', dims: [4, 2], dataType: DataType.FLOAT, dataLocation: onnx.TensorProto.DataLocation.EXTERNAL, externalData: [{ key: 'location', value: 'weights.bin' }] };
    const external = buildModel({ input: tensorValueInfo('x', DataType.FLOAT, ['N', 4]), output: tensorValueInfo('y', DataType.FLOAT, ['N', 2]), initialisers: [ext], nodes: [node('MatMul', ['x', 'W'], ['y'])] });
    assert.match(codeOf(() => inspectModel(external)), /^EH_MODEL_UNSUPPORTED: initialiser W keeps its data in an external file.*single-file model/);

    const quantised = buildModel({
      input: tensorValueInfo('x', DataType.FLOAT, ['N', 4]), output: tensorValueInfo('y', DataType.FLOAT, ['N', 2]),
      initialisers: [int8Tensor('Wq', [4, 2], new Int8Array(8)), floatTensor('s', [], Float32Array.of(1))],
      nodes: [node('DequantizeLinear', ['Wq', 's'], ['W']), node('MatMul', ['x', 'W'], ['y'])],
    });
    assert.match(codeOf(() => inspectModel(quantised)), /^EH_MODEL_UNSUPPORTED: model is already quantised/);

    const ok = buildModel({ input: tensorValueInfo('x', DataType.FLOAT, ['N', 4]), output: tensorValueInfo('y', DataType.FLOAT, ['N', 2]), initialisers: [w], nodes: [node('MatMul', ['x', 'W'], ['y'])] });
    assert.equal(inspectModel(ok).nodes[0]?.quantisable, true);
  });

  test('quantiseStatic and quantiseDynamic refuse what inspectModel refuses', async () => {
    const old = mlpModel({ inputs: 4, hidden: [4, 4], outputs: 2, opset: 11 });
    await assert.rejects(quantiseStatic(old, randomInputs(4, [4])), (e) => isEdgehiveError(e, 'EH_MODEL_UNSUPPORTED'));
    await assert.rejects(quantiseDynamic(Uint8Array.of(1, 2, 3)), (e) => isEdgehiveError(e, 'EH_MODEL_INVALID'));
  });
});
