/**
 * The gate for a model about to be quantised, ours or uploaded: is it ONNX we can read, does it
 * have the one float input every edgehive model has, is its opset new enough for per-channel
 * QDQ, and what would happen to each node.
 */
import { EdgehiveError } from '../../shared/errors/index.ts';
import { DataType, decodeModel, defaultOpset, onnx } from '../onnx/index.ts';
import { constantsToInitialisers, viewGraph, type GraphView } from './graph.ts';
import { planStatic } from './plan.ts';

/** QuantizeLinear/DequantizeLinear gained per-axis scales (the `axis` attribute) in opset 13. */
export const MIN_OPSET = 13;

export interface TensorInfo {
  readonly name: string;
  readonly elemType: string;
  readonly shape: readonly (number | string)[];
}

export interface NodeInfo {
  readonly name: string;
  readonly opType: string;
  readonly quantisable: boolean;
  readonly reason?: string;
}

export interface ModelInfo {
  readonly opset: number;
  readonly irVersion: number;
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  readonly nodes: readonly NodeInfo[];
}

const ALREADY_QUANTISED = new Set(['QuantizeLinear', 'DequantizeLinear', 'DynamicQuantizeLinear', 'QLinearConv', 'QLinearMatMul', 'MatMulInteger', 'ConvInteger', 'QGemm', 'DynamicQuantizeMatMul', 'MatMulIntegerToFloat']);

function typeName(code: number | null | undefined): string {
  return (onnx.TensorProto.DataType as unknown as Record<number, string>)[code ?? 0] ?? `type ${code}`;
}

function tensorInfo(v: onnx.IValueInfoProto): TensorInfo {
  const t = v.type?.tensorType;
  return {
    name: v.name ?? '',
    elemType: typeName(t?.elemType).toLowerCase(),
    shape: (t?.shape?.dim ?? []).map((d) => (d.dimParam ? d.dimParam : Number(d.dimValue ?? 0))),
  };
}

/** Decodes and validates; throws EdgehiveError (EH_MODEL_INVALID / EH_MODEL_UNSUPPORTED) saying what to change. */
export function validateModel(bytes: Uint8Array): { model: onnx.ModelProto; view: GraphView; opset: number } {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) throw new EdgehiveError('EH_MODEL_INVALID', 'model is empty; upload the .onnx file');
  const model = decodeModel(bytes);
  const graph = model.graph!;
  if ((graph.node ?? []).length === 0) throw new EdgehiveError('EH_MODEL_INVALID', 'model graph has no nodes; is it an ONNX model file?');
  const opset = defaultOpset(model);
  if (opset === undefined) throw new EdgehiveError('EH_MODEL_INVALID', 'model imports no default (ai.onnx) opset; is it an ONNX model file?');
  if (opset < MIN_OPSET) {
    throw new EdgehiveError('EH_MODEL_UNSUPPORTED', `model uses opset ${opset}; quantisation needs opset ${MIN_OPSET} or later (per-channel QuantizeLinear/DequantizeLinear). Re-export it with opset 13–17`, { opset });
  }
  const external = (graph.initializer ?? []).find((t) => t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL || (t.externalData?.length ?? 0) > 0);
  if (external) {
    throw new EdgehiveError('EH_MODEL_UNSUPPORTED', `initialiser ${external.name} keeps its data in an external file, which is not supported; upload a single-file model (save it without external data)`, { tensor: external.name });
  }
  const initNames = new Set((graph.initializer ?? []).map((t) => t.name));
  const inputs = (graph.input ?? []).filter((i) => !initNames.has(i.name));
  if (inputs.length !== 1) {
    throw new EdgehiveError('EH_MODEL_UNSUPPORTED', `model has ${inputs.length} inputs (${inputs.map((i) => i.name).join(', ') || 'none'}); edgehive models take exactly one float input [batch, …]`, { inputs: inputs.map((i) => i.name) });
  }
  const elem = inputs[0]!.type?.tensorType?.elemType;
  if (elem !== DataType.FLOAT) {
    throw new EdgehiveError('EH_MODEL_UNSUPPORTED', `model input ${inputs[0]!.name} is ${typeName(elem).toLowerCase()}, not float32; edgehive models take one float32 input`, { input: inputs[0]!.name });
  }
  const done = (graph.node ?? []).find((n) => ALREADY_QUANTISED.has(n.opType ?? ''));
  if (done) throw new EdgehiveError('EH_MODEL_UNSUPPORTED', `model is already quantised (it has a ${done.opType} node); upload the float model`);
  constantsToInitialisers(graph);
  return { model, view: viewGraph(graph), opset };
}

/** What the model is and what static quantisation would do to each node. */
export function inspectModel(bytes: Uint8Array): ModelInfo {
  const { model, view, opset } = validateModel(bytes);
  const plan = planStatic(view);
  const initNames = new Set(view.initialisers.keys());
  return {
    opset,
    irVersion: Number(model.irVersion),
    inputs: (model.graph!.input ?? []).filter((i) => !initNames.has(i.name ?? '')).map(tensorInfo),
    outputs: (model.graph!.output ?? []).map(tensorInfo),
    nodes: plan.nodes.map((p) => (p.role === 'float'
      ? { name: p.name, opType: p.opType, quantisable: false, reason: p.reason ?? 'kept in float' }
      : { name: p.name, opType: p.opType, quantisable: true })),
  };
}
