/**
 * Training jobs as data: states, progress, the data selector, and the pipeline the job manager
 * runs. The pipeline itself (data → train → export → quantise → evaluate → register) is injected
 * into the hub, so the manager knows nothing about TensorFlow.js or ONNX.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { Logger } from '../../shared/log/logger.ts';
import type { Clock } from '../../shared/time/clock.ts';
import type { Recipe } from '../recipes/schema.ts';
import type { JobRegistry } from '../registry/registry.ts';
import type { Store } from '../store/types.ts';

export const JobStateSchema = Type.Union([
  Type.Literal('queued'), Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed'), Type.Literal('cancelled'),
]);
export type JobState = Static<typeof JobStateSchema>;

export const ACTIVE_JOB_STATES: readonly JobState[] = ['queued', 'running'];

export function isFinished(s: JobState): boolean {
  return s === 'succeeded' || s === 'failed' || s === 'cancelled';
}

export const JobStageSchema = Type.Union([
  Type.Literal('data'), Type.Literal('train'), Type.Literal('export'), Type.Literal('quantise'), Type.Literal('evaluate'), Type.Literal('register'),
]);
export type JobStage = Static<typeof JobStageSchema>;

export const JobProgressSchema = Type.Object({
  stage: JobStageSchema,
  epoch: Type.Optional(Type.Integer({ minimum: 0 })),
  epochs: Type.Optional(Type.Integer({ minimum: 0 })),
  loss: Type.Optional(Type.Number()),
  valLoss: Type.Optional(Type.Number()),
  etaMs: Type.Optional(Type.Number({ minimum: 0 })),
  samplesPerSecond: Type.Optional(Type.Number({ minimum: 0 })),
  /** The TensorFlow.js backend training runs on. */
  backend: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
}, { additionalProperties: false });
export type JobProgress = Static<typeof JobProgressSchema>;

/** Which stored readings to train on. Neither device nor group: every device's readings. */
export const DataSelectorSchema = Type.Object({
  device: Type.Optional(Type.String()),
  group: Type.Optional(Type.String()),
  fromMs: Type.Optional(Type.Number()),
  toMs: Type.Optional(Type.Number()),
}, { additionalProperties: false });
export type DataSelector = Static<typeof DataSelectorSchema>;

export const JobErrorSchema = Type.Object({ code: Type.String(), message: Type.String() });
export type JobError = Static<typeof JobErrorSchema>;

export const JobSchema = Type.Object({
  id: Type.String(),
  model: Type.String(),
  state: JobStateSchema,
  recipe: Type.Unknown(),
  data: DataSelectorSchema,
  progress: Type.Union([JobProgressSchema, Type.Null()]),
  error: Type.Union([JobErrorSchema, Type.Null()]),
  /** The model version the job registered, once it has. */
  version: Type.Union([Type.Integer(), Type.Null()]),
  actor: Type.String(),
  createdAtMs: Type.Number(),
  startedAtMs: Type.Union([Type.Number(), Type.Null()]),
  finishedAtMs: Type.Union([Type.Number(), Type.Null()]),
});
export type Job = Static<typeof JobSchema>;

export interface PipelineContext {
  readonly jobId: string;
  readonly model: string;
  readonly recipe: Recipe;
  readonly dataSelector: DataSelector;
  /** The registry, with every version it creates stamped with this job (lineage.trainingJobId). */
  readonly registry: JobRegistry;
  /** Where the training data is read from. */
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  onProgress(p: JobProgress): void;
  /** Aborted when the job is cancelled or the hub stops; the pipeline should stop soon after. */
  readonly signal: AbortSignal;
}

/** Runs one training job to a registered model version. Throw an EdgehiveError to fail it with that code. */
export type TrainingPipeline = (ctx: PipelineContext) => Promise<{ version: number }>;
