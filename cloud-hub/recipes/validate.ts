/**
 * Recipe validation: the schema first (problems named by JSON pointer), then the rules a schema
 * cannot state — names that must be unique or must (not) be inputs, fields that only make sense
 * for some tasks, a layer stack that must fit the window. Every problem found is reported at
 * once, so a user fixes a recipe in one round; all are EH_RECIPE_INVALID.
 */
import { Value } from '@sinclair/typebox/value';
import type { FieldProblem } from '../../shared/config/validate.ts';
import { EdgehiveError, isEdgehiveError } from '../../shared/errors/index.ts';
import { ensembleDenseSpan } from '../model/ensemble.ts';
import { planModel } from '../model/plan.ts';
import { ShapeError } from '../model/shapes.ts';
import { friendlySchemaProblems } from './schema-problems.ts';
import { RecipeSchema, type Recipe } from './schema.ts';

export const DEFAULT_SPLIT = { train: 0.7, validation: 0.15 } as const;

function duplicates(names: readonly string[], path: string): FieldProblem[] {
  const seen = new Map<string, number>();
  const out: FieldProblem[] = [];
  names.forEach((n, i) => {
    const first = seen.get(n);
    if (first !== undefined) out.push({ path: `${path}/${i}`, message: `"${n}" is listed twice (also ${path}/${first}); names must be unique` });
    else seen.set(n, i);
  });
  return out;
}

function targetProblems(r: Recipe): FieldProblem[] {
  const out: FieldProblem[] = [];
  const t = r.target ?? {};
  const only = (field: keyof typeof t, task: string) => {
    if (t[field] !== undefined && r.task !== task) out.push({ path: `/target/${field}`, message: `is only used by task "${task}", this recipe's task is "${r.task}"; remove it` });
  };
  only('features', 'forecast');
  only('horizon', 'forecast');
  only('label', 'classify');
  only('classes', 'classify');
  if (r.task === 'forecast' && t.features) {
    out.push(...duplicates(t.features, '/target/features'));
    t.features.forEach((f, i) => {
      if (!r.input.features.includes(f)) out.push({ path: `/target/features/${i}`, message: `"${f}" is not an input feature; a forecast predicts features it reads (input.features: ${r.input.features.join(', ')})` });
    });
  }
  if (r.task === 'classify') {
    if (t.label === undefined) out.push({ path: '/target/label', message: 'a classify recipe needs the name of the column holding the class index' });
    else if (r.input.features.includes(t.label)) out.push({ path: '/target/label', message: `"${t.label}" is also an input feature; the model would read its own answer — remove it from input.features` });
    if (t.classes === undefined) out.push({ path: '/target/classes', message: 'a classify recipe needs the class names (index = label value), at least 2' });
    else out.push(...duplicates(t.classes, '/target/classes'));
  }
  return out;
}

function trainingProblems(r: Recipe): FieldProblem[] {
  const out: FieldProblem[] = [];
  const tr = r.training;
  const split = tr.split ?? DEFAULT_SPLIT;
  if (split.train + split.validation >= 1) {
    out.push({ path: '/training/split', message: `train ${split.train} + validation ${split.validation} leaves nothing for the test split; their sum must be below 1` });
  }
  if (tr.earlyStopping && tr.earlyStopping.patience >= tr.epochs) {
    out.push({ path: '/training/earlyStopping/patience', message: `patience ${tr.earlyStopping.patience} is not below epochs ${tr.epochs}, so early stopping could never stop; lower it or remove earlyStopping` });
  }
  return out;
}

function windowProblems(r: Recipe): FieldProblem[] {
  const w = r.input.window;
  if (w.stride > w.length) {
    return [{ path: '/input/window/stride', message: `stride ${w.stride} is longer than the window (${w.length}): ${w.stride - w.length} readings between windows would never be seen; use a stride of at most ${w.length}` }];
  }
  return [];
}

const GATE_TASKS: Readonly<Record<string, readonly Recipe['task'][]>> = {
  minAccuracy: ['classify'],
  minF1: ['anomaly', 'classify'],
  minAuc: ['anomaly'],
  maxRmse: ['forecast'],
};

function gateProblems(r: Recipe): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const [gate, tasks] of Object.entries(GATE_TASKS)) {
    if ((r.gates as Record<string, unknown>)[gate] !== undefined && !tasks.includes(r.task)) {
      out.push({ path: `/gates/${gate}`, message: `task "${r.task}" has no such metric (it applies to ${tasks.join(', ')}); remove it` });
    }
  }
  const q = r.quantisation;
  if (q?.percentile !== undefined && q.calibration !== 'percentile') {
    out.push({ path: '/quantisation/percentile', message: 'is only used with calibration "percentile"; set calibration or remove percentile' });
  }
  if (q?.mode === 'dynamic' && (q.calibration !== undefined || q.calibrationWindows !== undefined)) {
    out.push({ path: '/quantisation/calibration', message: 'dynamic quantisation calibrates nothing; remove calibration settings or use mode "static"' });
  }
  return out;
}

function ensembleProblems(r: Recipe, layers: ReturnType<typeof planModel>['layers']): FieldProblem[] {
  if ((r.training.ensemble ?? 1) <= 1) return [];
  try {
    ensembleDenseSpan(layers);
    return [];
  } catch (e) {
    if (isEdgehiveError(e)) return [{ path: '/training/ensemble', message: e.message }];
    throw e;
  }
}

function layerProblems(r: Recipe): FieldProblem[] {
  try {
    return ensembleProblems(r, planModel(r).layers);
  } catch (e) {
    if (e instanceof ShapeError && e.index < r.architecture.layers.length) {
      return [{ path: `/architecture/layers/${e.index}`, message: `${e.message} (input window [${r.input.window.length}, ${r.input.features.length}])` }];
    }
    throw e;
  }
}

/** Rules beyond the schema, for a recipe that already matches it. */
export function recipeProblems(r: Recipe): FieldProblem[] {
  const out = [
    ...duplicates(r.input.features, '/input/features'),
    ...windowProblems(r),
    ...targetProblems(r),
    ...trainingProblems(r),
    ...gateProblems(r),
  ];
  // Heads need a consistent target (e.g. classes) to be planned; check layers only then.
  if (out.length === 0) out.push(...layerProblems(r));
  return out;
}

function fail(what: string, problems: FieldProblem[]): never {
  const list = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
  throw new EdgehiveError('EH_RECIPE_INVALID', `${what} is invalid: ${list}`, { problems });
}

/**
 * Checks a parsed JSON value and returns it as a Recipe. `what` names it in errors ("recipe
 * pumps.json"). Throws EH_RECIPE_INVALID listing every problem with its JSON pointer.
 */
export function parseRecipe(json: unknown, what = 'recipe'): Recipe {
  const value = Value.Clone(json);
  const schema = friendlySchemaProblems(RecipeSchema, value);
  if (schema.length > 0) fail(what, schema);
  const recipe = value as Recipe;
  const semantic = recipeProblems(recipe);
  if (semantic.length > 0) fail(what, semantic);
  return recipe;
}

/** The split fractions in force (the recipe's, or the default 0.7 / 0.15 / rest). */
export function splitFractions(r: Recipe): { train: number; validation: number; test: number } {
  const s = r.training.split ?? DEFAULT_SPLIT;
  return { train: s.train, validation: s.validation, test: 1 - s.train - s.validation };
}
