/**
 * Training a recipe on data: plan the model, build the time-split dataset with the spec fitted on
 * the train rows, hand tensors and layers to the engine, and return everything the later stages
 * need (the trained graph, the spec, the held-out test tensors, the history).
 */
import { EdgehiveError, isEdgehiveError } from '../../shared/errors/index.ts';
import type { PreprocessSpec } from '../../shared/features/index.ts';
import { mergeEnsemble } from '../model/ensemble.ts';
import type { ModelGraph } from '../model/graph.ts';
import { planModel, type ModelPlan } from '../model/plan.ts';
import { formatShape } from '../model/shapes.ts';
import type { Recipe } from '../recipes/schema.ts';
import { buildDataset, type TimeRange, type TrainingRows } from './dataset.ts';
import { DEFAULT_SEED, trainGraph, trainGraphInWorker } from './engine.ts';
import type { BackendName, EngineInput, EngineOptions, EngineOutput, EpochRecord, SampleTensor } from './engine-api.ts';

export interface SplitSummary extends TimeRange { readonly windows: number }

export interface TrainRecipeOptions extends EngineOptions {
  /** Train in a worker thread, so the calling thread (the hub) keeps serving. */
  readonly inWorker?: boolean;
  /** Where the engine says which backend it chose (the hub passes its logger). */
  readonly log?: (line: string) => void;
}

export interface TrainRecipeResult {
  readonly recipe: Recipe;
  readonly plan: ModelPlan;
  readonly graph: ModelGraph;
  readonly preprocess: PreprocessSpec;
  readonly split: {
    readonly train: SplitSummary;
    readonly validation: SplitSummary | null;
    readonly test: SplitSummary;
    /** Windows dropped because they overlapped an earlier split's rows. */
    readonly purged: number;
    /** Oldest windows dropped by training.maxWindows. */
    readonly droppedOldest: number;
  };
  /** Held-out windows and targets, for export parity and evaluation. */
  readonly test: { readonly x: SampleTensor; readonly y: SampleTensor };
  /** Training windows: the quantiser calibrates on these (never on the split it is judged on). */
  readonly train: { readonly x: SampleTensor; readonly y: SampleTensor };
  /** Validation windows, where the split has them: the anomaly threshold is set on their scores. */
  readonly validation: { readonly x: SampleTensor; readonly y: SampleTensor } | null;
  readonly history: readonly EpochRecord[];
  readonly bestEpoch: number;
  readonly stoppedEarly: boolean;
  readonly backend: BackendName;
  readonly dataRange: TimeRange & { readonly rows: number };
  readonly durationMs: number;
}

function summary(p: { windows: number; fromMs: number; toMs: number }): SplitSummary {
  return { windows: p.windows, fromMs: p.fromMs, toMs: p.toMs };
}

/** The engine's input for a recipe and a prepared dataset (exported for tests and benchmarks). */
export function engineInput(recipe: Recipe, plan: ModelPlan, data: ReturnType<typeof buildDataset>): EngineInput {
  return {
    name: recipe.name,
    inputShape: plan.inputShape,
    layers: plan.layers,
    loss: plan.loss,
    train: { x: data.train.x, y: data.train.y },
    ...(data.validation ? { validation: { x: data.validation.x, y: data.validation.y } } : {}),
    training: recipe.training,
  };
}

/**
 * One model, or a seed ensemble (training.ensemble members, seeds seed, seed+1, …) merged into one
 * graph. Progress runs over all members' epochs, so the CLI's bar and the API's job fill once; the
 * history lists every member's epochs in order, numbered on from the member before.
 */
async function trainMembers(input: EngineInput, options: EngineOptions, inWorker: boolean): Promise<EngineOutput> {
  const members = input.training.ensemble ?? 1;
  const train = (i: EngineInput, o: EngineOptions) => (inWorker ? trainGraphInWorker(i, o) : trainGraph(i, o));
  if (members <= 1) return train(input, options);
  const seed = input.training.seed ?? DEFAULT_SEED;
  const epochs = input.training.epochs;
  const outs: EngineOutput[] = [];
  const history: EpochRecord[] = [];
  let msPerEpoch = 0;
  for (let k = 0; k < members; k++) {
    const offset = k * epochs;
    const { onProgress } = options;
    const out = await train({ ...input, training: { ...input.training, seed: seed + k } }, {
      ...options,
      ...(onProgress ? {
        onProgress: (p) => {
          if (p.epochs > p.epoch) msPerEpoch = p.etaMs / (p.epochs - p.epoch);
          onProgress({ ...p, epoch: offset + p.epoch, epochs: members * epochs, etaMs: p.etaMs + (members - k - 1) * epochs * msPerEpoch, member: { index: k + 1, of: members } });
        },
      } : {}),
    });
    outs.push(out);
    history.push(...out.history.map((h) => ({ ...h, epoch: offset + h.epoch })));
  }
  return {
    graph: mergeEnsemble(outs.map((o) => o.graph)),
    history,
    // The last member's best epoch, on the history's numbering; every member stops on its own.
    bestEpoch: (members - 1) * epochs + outs[members - 1]!.bestEpoch,
    stoppedEarly: outs.some((o) => o.stoppedEarly),
    backend: outs[0]!.backend,
  };
}

/**
 * Trains `recipe` (already validated) on `rows`. Throws EH_DATA_INSUFFICIENT for too little data,
 * EH_TRAINING_FAILED when the engine fails (its error is the cause).
 */
export async function trainRecipe(recipe: Recipe, rows: TrainingRows, options: TrainRecipeOptions = {}): Promise<TrainRecipeResult> {
  const started = Date.now();
  const plan = planModel(recipe);
  const data = buildDataset(recipe, rows, plan);
  const input = engineInput(recipe, plan, data);
  const engineOptions: EngineOptions & { log?: (line: string) => void } = {
    ...(options.log ? { log: options.log } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.backend ? { backend: options.backend } : {}),
  };
  let out: EngineOutput;
  try {
    out = await trainMembers(input, engineOptions, options.inWorker === true);
  } catch (e) {
    if (isEdgehiveError(e)) throw e;
    throw new EdgehiveError('EH_TRAINING_FAILED', `training ${recipe.name} failed: ${(e as Error).message ?? String(e)}`, undefined, { cause: e });
  }
  if (formatShape(out.graph.outputShape) !== formatShape(plan.outputShape)) {
    throw new EdgehiveError('EH_TRAINING_FAILED', `the trained model's output is ${formatShape(out.graph.outputShape)}, the plan says ${formatShape(plan.outputShape)}`);
  }
  return {
    recipe,
    plan,
    graph: out.graph,
    preprocess: data.spec,
    split: {
      train: summary(data.train),
      validation: data.validation ? summary(data.validation) : null,
      test: summary(data.test),
      purged: data.purged,
      droppedOldest: data.droppedOldest,
    },
    test: { x: data.test.x, y: data.test.y },
    train: { x: data.train.x, y: data.train.y },
    validation: data.validation ? { x: data.validation.x, y: data.validation.y } : null,
    history: out.history,
    bestEpoch: out.bestEpoch,
    stoppedEarly: out.stoppedEarly,
    backend: out.backend,
    dataRange: data.dataRange,
    durationMs: Date.now() - started,
  };
}
