/**
 * A model's inputs and outputs as a manifest names them, read from the ONNX graph itself (not
 * from the recipe), so the manifest describes exactly the file it carries. Also the input shape
 * of the health check: the model's input with a batch of 1.
 */
import type { Static } from '@sinclair/typebox';
import type { TensorSpecSchema } from '../../shared/bundle/schema.ts';
import { EdgehiveError } from '../../shared/errors/index.ts';
import { DataType, decodeModel, type onnx } from '../onnx/index.ts';

export type TensorSpec = Static<typeof TensorSpecSchema>;

export interface ModelIo { inputs: TensorSpec[]; outputs: TensorSpec[] }

function spec(v: onnx.IValueInfoProto, where: string): TensorSpec {
  const t = v.type?.tensorType;
  const name = v.name ?? '';
  if (t?.elemType !== DataType.FLOAT) {
    throw new EdgehiveError('EH_MODEL_UNSUPPORTED', `${where} ${name} is not float32 (ONNX elem type ${t?.elemType ?? 'unknown'}); edgehive bundles carry models with float32 inputs and outputs`, { tensor: name });
  }
  const dims = (t.shape?.dim ?? []).map((d) => (d.dimParam ? d.dimParam.slice(0, 64) : Number(d.dimValue ?? 0)));
  return { name, dims, type: 'float32' };
}

export function modelIo(model: Uint8Array, what = 'model'): ModelIo {
  const graph = decodeModel(model, what).graph!;
  // Initialisers may also be listed as graph inputs (IR < 4 style); they are not fed by the agent.
  const initialisers = new Set((graph.initializer ?? []).map((i) => i.name));
  const inputs = (graph.input ?? []).filter((i) => !initialisers.has(i.name)).map((i) => spec(i, `${what} input`));
  const outputs = (graph.output ?? []).map((o) => spec(o, `${what} output`));
  if (inputs.length === 0 || outputs.length === 0) {
    throw new EdgehiveError('EH_MODEL_INVALID', `${what} has ${inputs.length} inputs and ${outputs.length} outputs; a bundle needs at least one of each`);
  }
  return { inputs, outputs };
}

/**
 * The first input's shape with batch 1: the leading dimension, symbolic or 0 (unknown), becomes 1;
 * any other symbolic dimension cannot be guessed and is refused.
 */
export function healthCheckDims(input: TensorSpec): number[] {
  return input.dims.map((d, i) => {
    if (i === 0) return 1;
    if (typeof d === 'number' && d > 0) return d;
    throw new EdgehiveError('EH_MODEL_UNSUPPORTED', `model input ${input.name} has dimension ${i} ${JSON.stringify(d)}, which is not fixed; only the batch dimension may be symbolic`, { input: input.name, dim: i });
  });
}
