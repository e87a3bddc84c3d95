/**
 * Small float ONNX models for quantiser tests, built with cloud-hub/onnx's helpers and seeded
 * weights, so every run sees the same numbers:
 *  - mlpModel: Gemm → Relu → MatMul → Add → Relu → Gemm(transB=1) (weight-dominated);
 *  - convNet: [N, C, T] → Conv → Relu → MaxPool → Conv → Relu → GlobalAveragePool → Flatten → Gemm;
 *  - tanhModel: Gemm → Tanh → Gemm (Tanh has no integer kernel: it must stay float);
 *  - randomInputs: calibration / evaluation rows.
 */
import {
  attr, DataType, encodeModel, floatTensor, int64Tensor, IR_VERSION, node, OPSET, tensorValueInfo, type onnx,
} from '../../cloud-hub/onnx/index.ts';

import { seeded } from './seeded.ts';

export { seeded };

/** Uniform in ±limit with limit = sqrt(6 / fanIn) (He-uniform): activations neither vanish nor explode. */
function heUniform(rand: () => number, size: number, fanIn: number): Float32Array {
  const limit = Math.sqrt(6 / fanIn);
  return Float32Array.from({ length: size }, () => (rand() * 2 - 1) * limit);
}

function smallBias(rand: () => number, size: number): Float32Array {
  return Float32Array.from({ length: size }, () => (rand() * 2 - 1) * 0.1);
}

export interface ModelParts {
  readonly nodes: onnx.INodeProto[];
  readonly initialisers: onnx.ITensorProto[];
  readonly input: onnx.IValueInfoProto;
  readonly output: onnx.IValueInfoProto;
  readonly opset?: number;
}

export function buildModel(p: ModelParts): Uint8Array {
  return encodeModel({
    irVersion: IR_VERSION,
    producerName: 'edgehive-tests',
    opsetImport: [{ domain: '', version: p.opset ?? OPSET }],
    graph: { name: 'test', node: p.nodes, initializer: p.initialisers, input: [p.input], output: [p.output] },
  });
}

export interface MlpShape { readonly inputs: number; readonly hidden: readonly [number, number]; readonly outputs: number; readonly seed?: number; readonly opset?: number }

/** x [N, in] → Gemm(W1 [in,h1]) → Relu → MatMul(W2 [h1,h2]) → Add → Relu → Gemm(W3 [out,h2], transB=1) → y [N, out]. */
export function mlpModel(s: MlpShape = { inputs: 64, hidden: [256, 128], outputs: 10 }): Uint8Array {
  const rand = seeded(s.seed ?? 1);
  const [h1, h2] = s.hidden;
  return buildModel({
    opset: s.opset,
    input: tensorValueInfo('x', DataType.FLOAT, ['N', s.inputs]),
    output: tensorValueInfo('y', DataType.FLOAT, ['N', s.outputs]),
    initialisers: [
      floatTensor('W1', [s.inputs, h1], heUniform(rand, s.inputs * h1, s.inputs)),
      floatTensor('B1', [h1], smallBias(rand, h1)),
      floatTensor('W2', [h1, h2], heUniform(rand, h1 * h2, h1)),
      floatTensor('B2', [h2], smallBias(rand, h2)),
      floatTensor('W3', [s.outputs, h2], heUniform(rand, s.outputs * h2, h2)),
      floatTensor('B3', [s.outputs], smallBias(rand, s.outputs)),
    ],
    nodes: [
      node('Gemm', ['x', 'W1', 'B1'], ['g1'], [], 'dense1'),
      node('Relu', ['g1'], ['r1'], [], 'relu1'),
      node('MatMul', ['r1', 'W2'], ['m2'], [], 'dense2_matmul'),
      node('Add', ['m2', 'B2'], ['a2'], [], 'dense2_bias'),
      node('Relu', ['a2'], ['r2'], [], 'relu2'),
      node('Gemm', ['r2', 'W3', 'B3'], ['y'], [attr('transB', 1)], 'head'),
    ],
  });
}

export interface ConvShape {
  readonly channels: number;
  readonly length: number;
  readonly filters: readonly [number, number];
  readonly kernels: readonly [number, number];
  readonly classes: number;
  readonly maxPool?: boolean;
  readonly seed?: number;
}

/** A 1-D CNN on [N, C, T]: Conv → Relu → (MaxPool 2) → Conv → Relu → GlobalAveragePool → Flatten → Gemm → [N, classes]. */
export function convNet(s: ConvShape = { channels: 8, length: 64, filters: [32, 64], kernels: [7, 5], classes: 5, maxPool: true }): Uint8Array {
  const rand = seeded(s.seed ?? 2);
  const [f1, f2] = s.filters;
  const [k1, k2] = s.kernels;
  const pad = (k: number) => attr('pads', [(k - 1) >> 1, k >> 1]);
  const nodes = [
    node('Conv', ['x', 'C1', 'CB1'], ['c1'], [attr('kernel_shape', [k1]), pad(k1)], 'conv1'),
    node('Relu', ['c1'], ['r1'], [], 'relu1'),
  ];
  let last = 'r1';
  if (s.maxPool) {
    nodes.push(node('MaxPool', ['r1'], ['p1'], [attr('kernel_shape', [2]), attr('strides', [2])], 'pool1'));
    last = 'p1';
  }
  nodes.push(
    node('Conv', [last, 'C2', 'CB2'], ['c2'], [attr('kernel_shape', [k2]), pad(k2)], 'conv2'),
    node('Relu', ['c2'], ['r2'], [], 'relu2'),
    node('GlobalAveragePool', ['r2'], ['gap'], [], 'gap'),
    node('Flatten', ['gap'], ['flat'], [attr('axis', 1)], 'flatten'),
    node('Gemm', ['flat', 'D', 'DB'], ['y'], [], 'head'),
  );
  return buildModel({
    input: tensorValueInfo('x', DataType.FLOAT, ['N', s.channels, s.length]),
    output: tensorValueInfo('y', DataType.FLOAT, ['N', s.classes]),
    initialisers: [
      floatTensor('C1', [f1, s.channels, k1], heUniform(rand, f1 * s.channels * k1, s.channels * k1)),
      floatTensor('CB1', [f1], smallBias(rand, f1)),
      floatTensor('C2', [f2, f1, k2], heUniform(rand, f2 * f1 * k2, f1 * k2)),
      floatTensor('CB2', [f2], smallBias(rand, f2)),
      floatTensor('D', [f2, s.classes], heUniform(rand, f2 * s.classes, f2)),
      floatTensor('DB', [s.classes], smallBias(rand, s.classes)),
    ],
    nodes,
  });
}

/** The ≥ 10 MFLOP benchmark conv net: [1, 8, 256] → Conv 64 k7 → Conv 64 k5 → GAP → Gemm (≈ 12 MFLOP). */
export function benchConvNet(): Uint8Array {
  return convNet({ channels: 8, length: 256, filters: [64, 64], kernels: [7, 5], classes: 5, maxPool: false, seed: 3 });
}

/** x [N, 16] → Gemm → Tanh → Gemm → Reshape → y [N, 4]: Tanh must stay float. */
export function tanhModel(): Uint8Array {
  const rand = seeded(4);
  return buildModel({
    input: tensorValueInfo('x', DataType.FLOAT, ['N', 16]),
    output: tensorValueInfo('y', DataType.FLOAT, ['N', 4]),
    initialisers: [
      floatTensor('W1', [16, 32], heUniform(rand, 16 * 32, 16)),
      floatTensor('B1', [32], smallBias(rand, 32)),
      floatTensor('W2', [32, 4], heUniform(rand, 32 * 4, 32)),
      floatTensor('B2', [4], smallBias(rand, 4)),
      int64Tensor('shape', [2], [-1, 4]),
    ],
    nodes: [
      node('Gemm', ['x', 'W1', 'B1'], ['g1'], [], 'dense1'),
      node('Tanh', ['g1'], ['t1'], [], 'tanh1'),
      node('Gemm', ['t1', 'W2', 'B2'], ['g2'], [], 'dense2'),
      node('Reshape', ['g2', 'shape'], ['y'], [], 'reshape'),
    ],
  });
}

/** Rows of standard-normal-ish inputs (sum of uniforms), shape [rows, ...sample]. */
export function randomInputs(rows: number, sample: readonly number[], seed = 7): { data: Float32Array; shape: number[] } {
  const rand = seeded(seed);
  const size = rows * sample.reduce((a, b) => a * b, 1);
  const data = Float32Array.from({ length: size }, () => rand() + rand() + rand() - 1.5);
  return { data, shape: [rows, ...sample] };
}
