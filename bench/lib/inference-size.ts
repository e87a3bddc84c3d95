/**
 * Where a model's bytes go: weight tensors by type (int8/uint8 weights, int32 biases, float
 * scales and weights, zero points) and the rest of the file (graph structure: nodes, tensor and
 * node names, value infos). Explains an int8/fp32 ratio far above 0.25 on small models, where the
 * per-channel scales, the int32 biases and the QDQ graph weigh as much as the weights.
 */
import { decodeModel, DataType, type onnx } from '../../cloud-hub/onnx/index.ts';

export interface SizeBreakdown {
  readonly totalBytes: number;
  /** Bytes of initialisers by role. */
  readonly int8Weights: number;
  /** int32 biases, including those stored as int16/int8 and widened by a Cast. */
  readonly int32Biases: number;
  readonly floatTensors: number;
  readonly zeroPoints: number;
  readonly otherTensors: number;
  /** Everything that is not initialiser data: nodes, names, attributes, value infos, metadata. */
  readonly graphBytes: number;
  readonly nodes: number;
  readonly initialisers: number;
}

const ELEMENT_BYTES: Partial<Record<number, number>> = { [DataType.FLOAT]: 4, [DataType.FLOAT16]: 2, [DataType.INT16]: 2, [DataType.INT8]: 1, [DataType.UINT8]: 1, [DataType.INT32]: 4, [DataType.INT64]: 8 };

function dataBytes(t: onnx.ITensorProto): number {
  if (t.rawData && t.rawData.length > 0) return t.rawData.length;
  const count = (t.floatData?.length ?? 0) + (t.int32Data?.length ?? 0) + (t.int64Data?.length ?? 0);
  return count * (ELEMENT_BYTES[t.dataType ?? 0] ?? 4);
}

export function sizeBreakdown(bytes: Uint8Array): SizeBreakdown {
  const m = decodeModel(bytes);
  const inits = m.graph?.initializer ?? [];
  // Constants stored narrow and widened when the model loads (the quantiser's int16/int8 biases
  // and float16 scales behind a Cast, zero points from a ConstantOfShape's shape): counted as
  // what they become.
  const castTo = new Map<string, number>();
  const zeroShapes = new Set<string>();
  for (const n of m.graph?.node ?? []) {
    const input = n.input?.[0] ?? '';
    if (n.opType === 'Cast') castTo.set(input, Number((n.attribute ?? []).find((a) => a.name === 'to')?.i ?? 0));
    if (n.opType === 'ConstantOfShape') zeroShapes.add(input);
  }
  let int8Weights = 0; let int32Biases = 0; let floatTensors = 0; let zeroPoints = 0; let otherTensors = 0;
  for (const t of inits) {
    const n = dataBytes(t);
    const name = t.name ?? '';
    // Zero points: by name where the producer says so, else an 8-bit tensor of zeros (ours are named z0, z1, …).
    const raw = t.rawData ?? new Uint8Array();
    const allZero8 = (t.dataType === DataType.INT8 || t.dataType === DataType.UINT8) && raw.length > 0 && raw.every((b) => b === 0);
    const widenedTo = castTo.get(name);
    if (zeroShapes.has(name)) zeroPoints += n;
    else if (widenedTo === DataType.INT32) int32Biases += n;
    else if (widenedTo === DataType.FLOAT) floatTensors += n;
    else if (/zero_point/.test(name) || allZero8) zeroPoints += n;
    else if (t.dataType === DataType.INT8 || t.dataType === DataType.UINT8) int8Weights += n;
    else if (t.dataType === DataType.INT32) int32Biases += n;
    else if (t.dataType === DataType.FLOAT) floatTensors += n;
    else otherTensors += n;
  }
  const tensorBytes = int8Weights + int32Biases + floatTensors + zeroPoints + otherTensors;
  return {
    totalBytes: bytes.length, int8Weights, int32Biases, floatTensors, zeroPoints, otherTensors,
    graphBytes: bytes.length - tensorBytes, nodes: m.graph?.node?.length ?? 0, initialisers: inits.length,
  };
}

export function describeSize(s: SizeBreakdown): string {
  return `${s.totalBytes} B = int8 weights ${s.int8Weights} + int32 biases ${s.int32Biases} + float (scales/weights) ${s.floatTensors} + zero points ${s.zeroPoints}`
    + `${s.otherTensors ? ` + other tensors ${s.otherTensors}` : ''} + graph (${s.nodes} nodes, names) ${s.graphBytes}`;
}
