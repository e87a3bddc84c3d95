/**
 * Reading and writing ONNX model bytes. Decoding is where an upload from elsewhere first meets
 * us, so every failure becomes EH_MODEL_INVALID with what was wrong; fields this subset of the
 * schema does not declare are kept by the protobuf runtime and written back unchanged.
 */
import '../../shared/proto/protobuf-runtime.ts';
import { EdgehiveError } from '../../shared/errors/index.ts';
import { onnx } from './generated/onnx.js';

/** IR version 8 with opset 17: what ONNX 1.12's checker and every ORT since 1.13 accept. */
export const IR_VERSION = 8;
export const OPSET = 17;
/** ONNX Runtime's own operator domain (for operators outside the standard set). */
export const MS_DOMAIN = 'com.microsoft';

export type ModelProto = onnx.ModelProto;
export type GraphProto = onnx.IGraphProto;

export function decodeModel(bytes: Uint8Array, what = 'model'): onnx.ModelProto {
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new EdgehiveError('EH_MODEL_INVALID', `${what} is not an ONNX model (protobuf decoding failed: ${(e as Error).message}); upload the .onnx file itself`, undefined, { cause: e });
  }
  if (!model.graph) throw new EdgehiveError('EH_MODEL_INVALID', `${what} has no graph; is it an ONNX model file?`);
  if (!model.irVersion) throw new EdgehiveError('EH_MODEL_INVALID', `${what} has no IR version; is it an ONNX model file?`);
  return model;
}

export function encodeModel(model: onnx.IModelProto): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}

/** The version of the default (ai.onnx) operator set the model imports, or undefined. */
export function defaultOpset(model: onnx.IModelProto): number | undefined {
  const entry = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  return entry?.version == null ? undefined : Number(entry.version);
}

export { onnx };
