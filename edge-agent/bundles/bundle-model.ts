/** What a verified bundle becomes in the agent's runtime: the ModelSpec the ModelHost runs. */
import type { BundleParts } from '../../shared/bundle/index.ts';
import { parseWithSchema } from '../../shared/config/validate.ts';
import { checkReference, ReferenceStatsSchema, type ReferenceStats } from '../../shared/drift/index.ts';
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
export function modelSpecOf(parts: BundleParts): BundleModelSpec {
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
  const drift = referenceOf(parts);
  return {
    model: modelBytesOf(parts), preprocess, task: m.task, stream: m.stream, id: modelIdOf(m),
    bundle: { id: parts.id, model: m.model, version: m.version, reference: drift.reference, referenceError: drift.error },
  };
}

/** A bundle's ModelSpec plus what the agent's drift monitor needs (edge-agent/drift). */
export interface BundleModelSpec extends ModelSpec {
  readonly bundle: {
    /** The bundle id: the drift monitor's learned baseline is kept per bundle. */
    readonly id: string;
    readonly model: string;
    readonly version: number;
    /** The `reference-stats` artefact; null when the bundle has none or it is unusable. */
    readonly reference: ReferenceStats | null;
    /** Why an artefact that is there is unusable (EH_BUNDLE_MALFORMED message). */
    readonly referenceError: string | null;
  };
}

/**
 * The bundle's reference statistics. A broken artefact does not fail the bundle: the model runs
 * the same without them, only unmonitored, and the agent logs why.
 */
export function referenceOf(parts: BundleParts): { reference: ReferenceStats | null; error: string | null } {
  const bytes = artefactOfKind(parts, 'reference-stats');
  if (bytes === null) return { reference: null, error: null };
  const what = `reference-stats of ${modelIdOf(parts.manifest)}`;
  try {
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(bytes));
    } catch (e) {
      throw new EdgehiveError('EH_BUNDLE_MALFORMED', `${what} is not JSON: ${(e as Error).message}`);
    }
    const reference = parseWithSchema(ReferenceStatsSchema, json, what, 'EH_BUNDLE_MALFORMED');
    checkReference(reference, what, 'EH_BUNDLE_MALFORMED');
    return { reference, error: null };
  } catch (e) {
    if (!isEdgehiveError(e)) throw e;
    return { reference: null, error: e.message };
  }
}
