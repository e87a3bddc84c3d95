/** What a verified bundle becomes in the agent's runtime: the ModelSpec the ModelHost runs. */
import type { BundleParts } from '../../shared/bundle/index.ts';
import { EdgehiveError, isEdgehiveError } from '../../shared/errors/index.ts';
import { parsePreprocessSpec } from '../../shared/features/index.ts';
import type { ModelSpec } from '../runtime/model-host.ts';

export function modelIdOf(m: { model: string; version: number; variant: string }): string {
  return `${m.model}@${m.version}/${m.variant}`;
}

function artefactOfKind(parts: BundleParts, kind: string): Uint8Array | null {
  const a = parts.manifest.artefacts.find((x) => x.kind === kind);
  return a === undefined ? null : (parts.artefacts.get(a.name) ?? null);
}

export function modelBytesOf(parts: BundleParts): Uint8Array {
  const bytes = artefactOfKind(parts, 'model.onnx');
  if (bytes === null) throw new EdgehiveError('EH_BUNDLE_MALFORMED', `bundle ${parts.id.slice(0, 12)} carries no model.onnx artefact`);
  return bytes;
}

/**
 * The ModelSpec for the ModelHost. A bundle this agent cannot run (no preprocessing spec, or one
 * it cannot parse) fails its health check: it verified, but it is not a model for this device.
 */
export function modelSpecOf(parts: BundleParts): ModelSpec {
  const m = parts.manifest;
  const pre = artefactOfKind(parts, 'preprocess.json');
  if (pre === null) {
    throw new EdgehiveError('EH_BUNDLE_HEALTH', `bundle ${modelIdOf(m)} carries no preprocess.json, so the agent cannot turn readings into model input; rebuild it with the model's preprocessing spec`);
  }
  let preprocess;
  try {
    preprocess = parsePreprocessSpec(new TextDecoder().decode(pre), `preprocess.json of ${modelIdOf(m)}`);
  } catch (e) {
    if (!isEdgehiveError(e)) throw e;
    throw new EdgehiveError('EH_BUNDLE_HEALTH', `bundle ${modelIdOf(m)}: ${e.message}`, { reason: 'preprocess' }, { cause: e });
  }
  return { model: modelBytesOf(parts), preprocess, task: m.task, stream: m.stream, id: modelIdOf(m) };
}
