/**
 * The model plan: a recipe's hidden layers plus the head its task needs, with the shapes that
 * result. The recipe never states the head, so its output always matches what the dataset
 * builds as targets (trainer/dataset.ts) and what the evaluator scores:
 *  - anomaly:  [Flatten] → Dense(window·features, linear) → Reshape([window, features]);
 *              the autoencoder's target is its input; score = mean squared reconstruction error;
 *  - forecast: [Flatten] → Dense(horizon·targets, linear); output row-major [horizon, targets]
 *              flattened (step h, target t at h·targets + t);
 *  - classify: [Flatten] → Dense(classes, softmax). A recipe that ends in globalAvgPool1d is
 *              already rank 1, so no flatten is added (fewer weights than flattening the sequence).
 * Flatten is added only where the hidden stack ends on a [time, channels] sequence.
 */
import type { LossName } from '../trainer/engine-api.ts';
import type { LayerSpec, Recipe, Task } from '../recipes/schema.ts';
import { flopsOf, inferShapes, type Shape } from './shapes.ts';

export interface ModelPlan {
  readonly task: Task;
  /** Per-sample input: [window, features]. */
  readonly inputShape: Shape;
  /** Hidden layers then the head: what the engine builds, in order. */
  readonly layers: readonly LayerSpec[];
  /** How many of `layers` are the recipe's own (the rest is the head). */
  readonly hiddenCount: number;
  readonly outputShape: Shape;
  readonly loss: LossName;
  /** Forecast: indices into input.features of the predicted features; else empty. */
  readonly targetIndices: readonly number[];
  readonly horizon: number;
  /** Classify: the class names; else empty. */
  readonly classes: readonly string[];
  /** Per-sample inference cost (see shapes.ts flopsOf). */
  readonly flops: number;
}

/** Forecast targets (default: every input feature) as indices; names not in the input are skipped here (validation refuses them). */
export function forecastTargets(recipe: Recipe): number[] {
  const names = recipe.target?.features ?? recipe.input.features;
  return names.map((n) => recipe.input.features.indexOf(n)).filter((i) => i >= 0);
}

function flattenIfSequence(shape: Shape): LayerSpec[] {
  return shape.length > 1 ? [{ type: 'flatten' }] : [];
}

/**
 * Throws a ShapeError (EH_RECIPE_INVALID, naming the layer index) when the hidden stack does not
 * fit the window; head layers never fail once the hidden stack fits.
 */
export function planModel(recipe: Recipe): ModelPlan {
  const window = recipe.input.window.length;
  const nf = recipe.input.features.length;
  const inputShape: Shape = [window, nf];
  const hidden = recipe.architecture.layers;
  const hiddenShapes = inferShapes(inputShape, hidden);
  const last = hiddenShapes.length === 0 ? inputShape : (hiddenShapes[hiddenShapes.length - 1] as Shape);

  let head: LayerSpec[];
  let loss: LossName = 'mse';
  let targetIndices: number[] = [];
  let horizon = 0;
  let classes: string[] = [];
  switch (recipe.task) {
    case 'anomaly':
      head = [...flattenIfSequence(last), { type: 'dense', units: window * nf, activation: 'linear' }, { type: 'reshape', shape: [window, nf] }];
      break;
    case 'forecast':
      targetIndices = forecastTargets(recipe);
      horizon = recipe.target?.horizon ?? 1;
      head = [...flattenIfSequence(last), { type: 'dense', units: horizon * Math.max(1, targetIndices.length), activation: 'linear' }];
      break;
    case 'classify':
      classes = [...(recipe.target?.classes ?? [])];
      loss = 'categoricalCrossentropy';
      head = [...flattenIfSequence(last), { type: 'dense', units: Math.max(2, classes.length), activation: 'softmax' }];
      break;
  }
  const layers = [...hidden, ...head];
  const shapes = inferShapes(inputShape, layers);
  return {
    task: recipe.task,
    inputShape,
    layers,
    hiddenCount: hidden.length,
    outputShape: shapes[shapes.length - 1] as Shape,
    loss,
    targetIndices,
    horizon,
    classes,
    flops: flopsOf(inputShape, layers),
  };
}
