/**
 * The held-out gate's I/O: champion and challenger each read the group's readings of the recent
 * span from the store (the training pipeline's reader), cut them into windows with their own
 * preprocessing (the upload pipeline's buildWindows: a version must be fed as its own spec says),
 * and score them with their fp32 variant on ONNX Runtime (cloud-hub/evaluate). The comparison is
 * compareHeldOut's.
 */
import { EdgehiveError } from '../../shared/errors/index.ts';
import { parsePreprocessSpec } from '../../shared/features/index.ts';
import { evaluateVariant } from '../evaluate/index.ts';
import { buildWindows, slice } from '../pipeline/upload-windows.ts';
import { parseRecipe } from '../recipes/validate.ts';
import type { ModelRegistry } from '../registry/registry.ts';
import type { ModelVersion } from '../registry/schema.ts';
import type { HeldOutRecord } from '../store/shadow-store.ts';
import type { Store } from '../store/types.ts';
import { readStoreRows } from '../trainer/store-source.ts';
import { compareHeldOut, type ScoredModel } from './held-out-compare.ts';

export interface HeldOutInput {
  store: Store;
  registry: Pick<ModelRegistry, 'readArtefact'>;
  champion: ModelVersion;
  challenger: ModelVersion;
  group: string;
  fromMs: number;
  toMs: number;
  tolerance: number;
}

/** Readings per device read at most for the gate. */
const MAX_ROWS = 50_000;

async function score(i: HeldOutInput, v: ModelVersion): Promise<ScoredModel> {
  const recipe = parseRecipe(v.recipe, `model ${v.model} version ${v.version}'s recipe`);
  const spec = parsePreprocessSpec(v.preprocess, `model ${v.model} version ${v.version}'s preprocess spec`);
  const fp32 = v.variants.find((x) => x.variant === 'fp32');
  if (!fp32) throw new EdgehiveError('EH_STATE', `model ${v.model} version ${v.version} has no fp32 variant to evaluate`);
  const columns = recipe.task === 'classify' && recipe.target?.label ? [...recipe.input.features, recipe.target.label] : [...recipe.input.features];
  const rows = await readStoreRows(i.store, { group: i.group, features: columns, fromMs: i.fromMs, toMs: i.toMs, maxRows: MAX_ROWS });
  const w = buildWindows(recipe, spec, rows);
  if (w.n < 2) {
    throw new EdgehiveError('EH_DATA_INSUFFICIENT', `group ${i.group} has ${w.n} window(s) of recent readings for version ${v.version}; the held-out gate needs at least 2`);
  }
  const yWidth = w.y ? w.y.length / w.n : 0;
  const stored = (v.metrics['threshold'] as { threshold?: unknown } | undefined)?.threshold;
  const threshold = typeof stored === 'number' ? stored : null;
  const { bytes } = await i.registry.readArtefact(v.model, v.version, fp32.file);
  const e = await evaluateVariant(bytes, recipe.task, slice(w, spec, 0, w.n, yWidth), threshold === null ? {} : { threshold });
  return { metrics: e.metrics, scores: e.scores, threshold };
}

export async function heldOutGate(i: HeldOutInput): Promise<HeldOutRecord> {
  const [champion, challenger] = [await score(i, i.champion), await score(i, i.challenger)];
  return compareHeldOut({ group: i.group, champion, challenger, tolerance: i.tolerance, fromMs: i.fromMs, toMs: i.toMs });
}
