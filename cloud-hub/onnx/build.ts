/**
 * Small constructors for ONNX graph pieces, so the exporter and the quantiser write nodes,
 * initialisers and value infos one way. Tensors are stored as raw little-endian bytes (what
 * every ONNX producer does for weights; typed `*_data` fields are larger and slower to parse).
 */
import { onnx } from './generated/onnx.js';

export const DataType = onnx.TensorProto.DataType;
export type DataTypeCode = onnx.TensorProto.DataType;

type AttrValue = number | string | readonly number[] | readonly string[] | onnx.ITensorProto | { readonly floats: readonly number[] };

function rawBytes(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
}

export function floatTensor(name: string, dims: readonly number[], data: Float32Array): onnx.ITensorProto {
  return { name, dims: [...dims], dataType: DataType.FLOAT, rawData: rawBytes(data) };
}
export function int8Tensor(name: string, dims: readonly number[], data: Int8Array): onnx.ITensorProto {
  return { name, dims: [...dims], dataType: DataType.INT8, rawData: rawBytes(data) };
}
export function uint8Tensor(name: string, dims: readonly number[], data: Uint8Array): onnx.ITensorProto {
  return { name, dims: [...dims], dataType: DataType.UINT8, rawData: rawBytes(data) };
}
export function int32Tensor(name: string, dims: readonly number[], data: Int32Array): onnx.ITensorProto {
  return { name, dims: [...dims], dataType: DataType.INT32, rawData: rawBytes(data) };
}
export function int64Tensor(name: string, dims: readonly number[], data: readonly number[]): onnx.ITensorProto {
  return { name, dims: [...dims], dataType: DataType.INT64, rawData: rawBytes(BigInt64Array.from(data, (v) => BigInt(v))) };
}

/** An attribute, its ONNX type inferred from the JS value (integers → INT, other numbers → FLOAT). */
export function attr(name: string, value: AttrValue, asFloat = false): onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === 'number') {
    return asFloat || !Number.isInteger(value) ? { name, type: T.FLOAT, f: value } : { name, type: T.INT, i: value };
  }
  if (typeof value === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string')) return { name, type: T.STRINGS, strings: (value as string[]).map((v) => new TextEncoder().encode(v)) };
    return asFloat ? { name, type: T.FLOATS, floats: [...(value as number[])] } : { name, type: T.INTS, ints: [...(value as number[])] };
  }
  if ('floats' in (value as object)) return { name, type: T.FLOATS, floats: [...(value as { floats: number[] }).floats] };
  return { name, type: T.TENSOR, t: value as onnx.ITensorProto };
}

export function node(opType: string, inputs: readonly string[], outputs: readonly string[], attributes: readonly onnx.IAttributeProto[] = [], name?: string, domain?: string): onnx.INodeProto {
  const n: onnx.INodeProto = { opType, input: [...inputs], output: [...outputs], attribute: [...attributes], name: name ?? outputs[0] ?? opType };
  if (domain) n.domain = domain;
  return n;
}

/** A tensor value info; a string dimension is symbolic (e.g. 'batch'). */
export function tensorValueInfo(name: string, elemType: DataTypeCode, dims: readonly (number | string)[]): onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
  };
}

/** Float32 view of a FLOAT initialiser, whichever field holds its data. */
export function floatData(t: onnx.ITensorProto): Float32Array {
  if (t.rawData && t.rawData.length > 0) {
    const copy = new Uint8Array(t.rawData);
    return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
  }
  return Float32Array.from(t.floatData ?? []);
}
