/**
 * Builds small, valid ONNX models for tests that need real models before (or without) the
 * exporter: a generic graph builder over a hand-written descriptor of the few ONNX messages
 * needed (field numbers from onnx/onnx.proto, IR version 8, opset 17), and a few ready models
 * (dense layer, per-window reconstruction, classifier, forecaster, and an int8-weight
 * DequantizeLinear variant of the dense layer).
 */
import protobuf from 'protobufjs';

const ONNX_JSON = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            irVersion: { type: 'int64', id: 1 },
            producerName: { type: 'string', id: 2 },
            producerVersion: { type: 'string', id: 3 },
            graph: { type: 'GraphProto', id: 7 },
            opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
          },
        },
        OperatorSetIdProto: { fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } } },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            opType: { type: 'string', id: 4 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
            domain: { type: 'string', id: 7 },
          },
        },
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            f: { type: 'float', id: 2 },
            i: { type: 'int64', id: 3 },
            ints: { rule: 'repeated', type: 'int64', id: 8 },
            type: { type: 'int32', id: 20 },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 },
            dataType: { type: 'int32', id: 2 },
            name: { type: 'string', id: 8 },
            rawData: { type: 'bytes', id: 9 },
          },
        },
        ValueInfoProto: { fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 } } },
        TypeProto: {
          fields: { tensorType: { type: 'Tensor', id: 1 } },
          nested: {
            Tensor: { fields: { elemType: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } } },
          },
        },
        TensorShapeProto: {
          fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ['dimValue', 'dimParam'] } },
              fields: { dimValue: { type: 'int64', id: 1 }, dimParam: { type: 'string', id: 2 } },
            },
          },
        },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(ONNX_JSON);
const ModelProto = root.lookupType('onnx.ModelProto');

/** TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, INT8: 3, INT64: 7 } as const;
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_INTS = 7;

export interface TinyValue { name: string; shape: readonly (number | string)[]; elemType?: number }
export interface TinyNode { op: string; inputs: readonly string[]; outputs: readonly string[]; attrs?: Record<string, number | readonly number[]> }
export type TinyInit =
  | { name: string; dims: readonly number[]; float32: Float32Array | readonly number[] }
  | { name: string; dims: readonly number[]; int8: Int8Array | readonly number[] }
  | { name: string; dims: readonly number[]; int64: readonly number[] };
export interface TinyGraph { inputs: readonly TinyValue[]; outputs: readonly TinyValue[]; nodes: readonly TinyNode[]; initializers: readonly TinyInit[] }

function valueInfo(v: TinyValue): object {
  return {
    name: v.name,
    type: {
      tensorType: {
        elemType: v.elemType ?? DataType.FLOAT,
        shape: { dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function tensor(t: TinyInit): object {
  if ('float32' in t) {
    const a = Float32Array.from(t.float32);
    return { name: t.name, dims: t.dims, dataType: DataType.FLOAT, rawData: new Uint8Array(a.buffer) };
  }
  if ('int8' in t) {
    const a = Int8Array.from(t.int8);
    return { name: t.name, dims: t.dims, dataType: DataType.INT8, rawData: new Uint8Array(a.buffer) };
  }
  const a = BigInt64Array.from(t.int64.map((x) => BigInt(x)));
  return { name: t.name, dims: t.dims, dataType: DataType.INT64, rawData: new Uint8Array(a.buffer) };
}

function attribute(name: string, v: number | readonly number[]): object {
  if (typeof v !== 'number') return { name, type: ATTR_INTS, ints: v };
  return Number.isInteger(v) ? { name, type: ATTR_INT, i: v } : { name, type: ATTR_FLOAT, f: v };
}

/** Serialises a graph as an ONNX model (IR 8, default domain opset 17). */
export function buildOnnx(g: TinyGraph): Uint8Array {
  const msg = ModelProto.fromObject({
    irVersion: 8,
    producerName: 'edgehive-tests',
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'tiny',
      node: g.nodes.map((n, i) => ({
        name: `${n.op.toLowerCase()}_${i}`, opType: n.op, input: n.inputs, output: n.outputs,
        attribute: Object.entries(n.attrs ?? {}).map(([k, v]) => attribute(k, v)),
      })),
      initializer: g.initializers.map(tensor),
      input: g.inputs.map(valueInfo),
      output: g.outputs.map(valueInfo),
    },
  });
  return ModelProto.encode(msg).finish();
}

/** y = x·W + b with x [N, in], W [in, out] row-major; optionally followed by Softmax (classifier). */
export function denseModel(w: Float32Array | readonly number[], inDim: number, outDim: number, b: readonly number[], opts: { softmax?: boolean } = {}): Uint8Array {
  const nodes: TinyNode[] = [
    { op: 'MatMul', inputs: ['x', 'W'], outputs: ['h'] },
    { op: 'Add', inputs: ['h', 'B'], outputs: [opts.softmax ? 'z' : 'y'] },
  ];
  if (opts.softmax) nodes.push({ op: 'Softmax', inputs: ['z'], outputs: ['y'], attrs: { axis: -1 } });
  return buildOnnx({
    inputs: [{ name: 'x', shape: ['N', inDim] }],
    outputs: [{ name: 'y', shape: ['N', outDim] }],
    nodes,
    initializers: [{ name: 'W', dims: [inDim, outDim], float32: w }, { name: 'B', dims: [outDim], float32: b }],
  });
}

/**
 * The dense layer with int8 weights: W = DequantizeLinear(Wq, scale) per tensor, symmetric
 * (zero point 0), the shape of what the quantiser emits for a weight. Returns the model and the
 * effective float weights, so a test can compute the expected outputs.
 */
export function int8DenseModel(w: readonly number[], inDim: number, outDim: number, b: readonly number[], opts: { softmax?: boolean } = {}): { bytes: Uint8Array; effective: Float32Array } {
  const maxAbs = Math.max(...w.map(Math.abs), 1e-12);
  const scale = Math.fround(maxAbs / 127);
  const q = w.map((v) => Math.max(-127, Math.min(127, Math.round(v / scale))));
  const bytes = buildOnnx({
    inputs: [{ name: 'x', shape: ['N', inDim] }],
    outputs: [{ name: 'y', shape: ['N', outDim] }],
    nodes: [
      { op: 'DequantizeLinear', inputs: ['Wq', 'scale', 'zp'], outputs: ['W'] },
      { op: 'MatMul', inputs: ['x', 'W'], outputs: ['h'] },
      ...(opts.softmax
        ? [{ op: 'Add', inputs: ['h', 'B'], outputs: ['z'] }, { op: 'Softmax', inputs: ['z'], outputs: ['y'], attrs: { axis: -1 } }]
        : [{ op: 'Add', inputs: ['h', 'B'], outputs: ['y'] }]),
    ],
    initializers: [
      { name: 'Wq', dims: [inDim, outDim], int8: q },
      { name: 'scale', dims: [], float32: [scale] },
      { name: 'zp', dims: [], int8: [0] },
      { name: 'B', dims: [outDim], float32: b },
    ],
  });
  return { bytes, effective: Float32Array.from(q, (v) => v * scale) };
}

/**
 * A per-window reconstruction model: input [N, length, features] → x·W + b on the last axis
 * ([features, features] weights) → [N, length, features]. With W = identity and b = 0 it
 * reconstructs perfectly (score 0); a scaled identity gives a score proportional to |x|².
 */
export function reconstructionModel(length: number, features: number, w: readonly number[], b: readonly number[]): Uint8Array {
  return buildOnnx({
    inputs: [{ name: 'x', shape: ['N', length, features] }],
    outputs: [{ name: 'y', shape: ['N', length, features] }],
    nodes: [
      { op: 'MatMul', inputs: ['x', 'W'], outputs: ['h'] },
      { op: 'Add', inputs: ['h', 'B'], outputs: ['y'] },
    ],
    initializers: [{ name: 'W', dims: [features, features], float32: w }, { name: 'B', dims: [features], float32: b }],
  });
}

/** A forecaster: [N, length, features] → Flatten → Dense(horizon) → [N, horizon]. */
export function forecastModel(length: number, features: number, horizon: number, w: readonly number[], b: readonly number[]): Uint8Array {
  return buildOnnx({
    inputs: [{ name: 'x', shape: ['N', length, features] }],
    outputs: [{ name: 'y', shape: ['N', horizon] }],
    nodes: [
      { op: 'Flatten', inputs: ['x'], outputs: ['f'], attrs: { axis: 1 } },
      { op: 'MatMul', inputs: ['f', 'W'], outputs: ['h'] },
      { op: 'Add', inputs: ['h', 'B'], outputs: ['y'] },
    ],
    initializers: [{ name: 'W', dims: [length * features, horizon], float32: w }, { name: 'B', dims: [horizon], float32: b }],
  });
}

/** Identity matrix of size n, row-major, times `scale`. */
export function eye(n: number, scale = 1): number[] {
  return Array.from({ length: n * n }, (_, i) => (Math.floor(i / n) === i % n ? scale : 0));
}
