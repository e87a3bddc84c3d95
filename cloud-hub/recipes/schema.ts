/**
 * The recipe: one JSON document that says what model to build, from which features, and when a
 * trained variant is good enough to ship. The trainer, exporter, quantiser and evaluator read
 * only this (plus data); nothing about a model is configured anywhere else.
 *
 * `architecture.layers` lists the hidden layers; the trainer appends the task's head itself
 * (see model/plan.ts), so a recipe cannot get the output shape wrong:
 *  - anomaly:  Dense(window·features, linear) → Reshape([window, features]); score = mean squared
 *              reconstruction error of the window;
 *  - forecast: Dense(horizon·targets, linear); score = mean squared residual of the forecast
 *              against the readings that then arrive;
 *  - classify: Dense(classes, softmax).
 */
import { Type, type Static } from '@sinclair/typebox';
import { FeatureName, MAX_FEATURES, MAX_WINDOW } from '../../shared/features/index.ts';
import { DriftPolicyPatchSchema } from '../drift/policy.ts';

export const RECIPE_VERSION = 1;

/** Model names share the protocol's id syntax: they appear in topics and bundle names. */
export const ModelName = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });

export const ActivationSchema = Type.Union([
  Type.Literal('linear'), Type.Literal('relu'), Type.Literal('tanh'), Type.Literal('sigmoid'), Type.Literal('softmax'),
]);
export type Activation = Static<typeof ActivationSchema>;

const Units = Type.Integer({ minimum: 1, maximum: 65_536 });
const Size = Type.Integer({ minimum: 1, maximum: 4096 });

export const DenseLayer = Type.Object({
  type: Type.Literal('dense'),
  units: Units,
  activation: Type.Optional(ActivationSchema),
}, { additionalProperties: false });

export const Conv1dLayer = Type.Object({
  type: Type.Literal('conv1d'),
  filters: Units,
  kernelSize: Size,
  stride: Type.Optional(Size),
  padding: Type.Optional(Type.Union([Type.Literal('valid'), Type.Literal('same')])),
  activation: Type.Optional(ActivationSchema),
}, { additionalProperties: false });

export const Pool1dLayer = Type.Object({
  type: Type.Union([Type.Literal('maxPool1d'), Type.Literal('avgPool1d')]),
  poolSize: Size,
  /** Default: poolSize. */
  stride: Type.Optional(Size),
}, { additionalProperties: false });

export const GlobalAvgPool1dLayer = Type.Object({ type: Type.Literal('globalAvgPool1d') }, { additionalProperties: false });
export const FlattenLayer = Type.Object({ type: Type.Literal('flatten') }, { additionalProperties: false });
export const ReshapeLayer = Type.Object({
  type: Type.Literal('reshape'),
  /** Per-sample target shape (no batch axis), as Keras' Reshape. */
  shape: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 4 }),
}, { additionalProperties: false });
export const BatchNormLayer = Type.Object({
  type: Type.Literal('batchNorm'),
  epsilon: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  momentum: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
}, { additionalProperties: false });
export const DropoutLayer = Type.Object({
  type: Type.Literal('dropout'),
  rate: Type.Number({ minimum: 0, exclusiveMaximum: 1 }),
}, { additionalProperties: false });
export const ActivationLayer = Type.Object({
  type: Type.Literal('activation'),
  activation: ActivationSchema,
}, { additionalProperties: false });

export const LayerSpecSchema = Type.Union([
  DenseLayer, Conv1dLayer, Pool1dLayer, GlobalAvgPool1dLayer, FlattenLayer, ReshapeLayer, BatchNormLayer, DropoutLayer, ActivationLayer,
]);
export type LayerSpec = Static<typeof LayerSpecSchema>;
export type LayerType = LayerSpec['type'];

export const InputSchema = Type.Object({
  /** Feature order of the model's input (last axis). */
  features: Type.Array(FeatureName, { minItems: 1, maxItems: MAX_FEATURES }),
  window: Type.Object({
    length: Type.Integer({ minimum: 1, maximum: MAX_WINDOW }),
    stride: Type.Integer({ minimum: 1, maximum: MAX_WINDOW }),
  }, { additionalProperties: false }),
  imputation: Type.Optional(Type.Union([
    Type.Literal('mean'), Type.Literal('median'), Type.Literal('last'),
    Type.Object({ constant: Type.Number() }, { additionalProperties: false }),
  ])),
  normalisation: Type.Optional(Type.Union([Type.Literal('zscore'), Type.Literal('robust'), Type.Literal('none')])),
}, { additionalProperties: false });

export const TargetSchema = Type.Object({
  /** forecast: the features predicted (default: all input features). */
  features: Type.Optional(Type.Array(FeatureName, { minItems: 1, maxItems: MAX_FEATURES })),
  /** forecast: readings ahead predicted after each window (default 1). */
  horizon: Type.Optional(Type.Integer({ minimum: 1, maximum: 1024 })),
  /** classify: the column holding the class index (0-based integer) of the window's last row. */
  label: Type.Optional(FeatureName),
  /** classify: class names, index = label value. */
  classes: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 2, maxItems: 1024 })),
}, { additionalProperties: false });

export const TrainingSchema = Type.Object({
  epochs: Type.Integer({ minimum: 1, maximum: 10_000 }),
  batchSize: Type.Integer({ minimum: 1, maximum: 65_536 }),
  learningRate: Type.Number({ exclusiveMinimum: 0, maximum: 10 }),
  optimizer: Type.Optional(Type.Union([Type.Literal('adam'), Type.Literal('sgd'), Type.Literal('rmsprop')])),
  seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 })),
  /** Fractions of the windows, in time order: train first, then validation, then test. */
  split: Type.Optional(Type.Object({
    train: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 }),
    validation: Type.Number({ minimum: 0, exclusiveMaximum: 1 }),
  }, { additionalProperties: false })),
  earlyStopping: Type.Optional(Type.Object({
    patience: Type.Integer({ minimum: 1, maximum: 10_000 }),
    minDelta: Type.Optional(Type.Number({ minimum: 0 })),
  }, { additionalProperties: false })),
  /** Newest windows kept when the data holds more (bounds training time and memory). */
  maxWindows: Type.Optional(Type.Integer({ minimum: 1 })),
  /**
   * Members of a seed ensemble (default 1 = one model): dense stacks trained from seeds seed,
   * seed+1, … and merged into one graph that outputs their mean (cloud-hub/model/ensemble.ts).
   */
  ensemble: Type.Optional(Type.Integer({ minimum: 1, maximum: 16 })),
}, { additionalProperties: false });

export const GatesSchema = Type.Object({
  /**
   * Largest accepted loss of the int8 variant against fp32 on the test split, in the task's
   * headline metric: anomaly = ROC AUC (or score correlation without labels), forecast = relative
   * RMSE increase, classify = accuracy points. 0.02 means "at most 2 % worse".
   */
  maxInt8Loss: Type.Number({ minimum: 0, maximum: 1 }),
  /** Absolute floors for the fp32 model, where the task has the metric. */
  minAccuracy: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  minF1: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  minAuc: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  maxRmse: Type.Optional(Type.Number({ minimum: 0 })),
}, { additionalProperties: false });

export const QuantisationSchema = Type.Object({
  /** static = QDQ with calibrated activations (default); dynamic = MatMul/Gemm weights only. */
  mode: Type.Optional(Type.Union([Type.Literal('static'), Type.Literal('dynamic')])),
  calibration: Type.Optional(Type.Union([Type.Literal('minmax'), Type.Literal('percentile')])),
  /** percentile calibration: the kept share of |activation| values, e.g. 99.99. */
  percentile: Type.Optional(Type.Number({ minimum: 90, maximum: 100 })),
  /** Windows of training data used to calibrate (default 512). */
  calibrationWindows: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
  /**
   * 7-bit weights in the int8 tensors (default true): exact on every CPU. false = full-range
   * weights, one bit more precise, for fleets of ARM or VNNI-capable x86 devices only: ORT's
   * kernels on x86 without VNNI saturate on them (cloud-hub/quantise/qmath.ts).
   */
  reduceRange: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

export const RecipeSchema = Type.Object({
  version: Type.Literal(RECIPE_VERSION),
  name: ModelName,
  description: Type.Optional(Type.String({ maxLength: 1000 })),
  task: Type.Union([Type.Literal('anomaly'), Type.Literal('forecast'), Type.Literal('classify')]),
  input: InputSchema,
  target: Type.Optional(TargetSchema),
  architecture: Type.Object({
    layers: Type.Array(LayerSpecSchema, { maxItems: 64 }),
  }, { additionalProperties: false }),
  training: TrainingSchema,
  quantisation: Type.Optional(QuantisationSchema),
  gates: GatesSchema,
  /** When drift reports retrain the model (cloud-hub/drift/policy.ts); merged over the defaults, absent: the defaults. */
  driftPolicy: Type.Optional(DriftPolicyPatchSchema),
}, { additionalProperties: false });
export type Recipe = Static<typeof RecipeSchema>;
export type Task = Recipe['task'];
