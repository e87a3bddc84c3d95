/**
 * What the model registry records about a model version, as TypeBox schemas: the store keeps
 * these as JSON, the API returns them as they are, and the registry checks what the pipeline
 * hands it against them before anything is written.
 */
import { Type, type Static } from '@sinclair/typebox';
import { ModelName } from '../recipes/schema.ts';

export { ModelName };

export const VersionStatusSchema = Type.Union([
  Type.Literal('training'), Type.Literal('ready'), Type.Literal('failed'), Type.Literal('rejected'),
]);
export type VersionStatus = Static<typeof VersionStatusSchema>;

export const VariantNameSchema = Type.Union([Type.Literal('fp32'), Type.Literal('int8'), Type.Literal('int8-dynamic')]);
export type VariantName = Static<typeof VariantNameSchema>;

/** Artefact file names: one path segment, so a name can never leave its version's folder. */
export const ArtefactFileName = Type.String({ pattern: '^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$', description: 'file name, e.g. model.int8.onnx' });

export const ArtefactSchema = Type.Object({
  file: ArtefactFileName,
  sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  bytes: Type.Integer({ minimum: 0 }),
  createdAtMs: Type.Number(),
});
export type Artefact = Static<typeof ArtefactSchema>;

export const DataRangeSchema = Type.Object({
  source: Type.Union([Type.Literal('store'), Type.Literal('csv'), Type.Literal('upload')]),
  device: Type.Optional(Type.String()),
  group: Type.Optional(Type.String()),
  /** Inclusive bounds of the readings used (epoch ms); null when unbounded. */
  fromMs: Type.Union([Type.Number(), Type.Null()]),
  toMs: Type.Union([Type.Number(), Type.Null()]),
  rows: Type.Integer({ minimum: 0 }),
}, { additionalProperties: false });
export type DataRange = Static<typeof DataRangeSchema>;

export const VariantSchema = Type.Object({
  variant: VariantNameSchema,
  /** The artefact holding this variant's ONNX model. */
  file: ArtefactFileName,
  sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  bytes: Type.Integer({ minimum: 0 }),
  /** False when the variant failed its acceptance gate; `reason` says which. */
  accepted: Type.Boolean(),
  reason: Type.Optional(Type.String()),
}, { additionalProperties: false });
export type Variant = Static<typeof VariantSchema>;

/** A variant as the pipeline names it: sha256 and size are filled in from the stored artefact. */
export const VariantInputSchema = Type.Object({
  variant: VariantNameSchema,
  file: ArtefactFileName,
  accepted: Type.Boolean(),
  reason: Type.Optional(Type.String()),
}, { additionalProperties: false });
export type VariantInput = Static<typeof VariantInputSchema>;

/** Estimates of one variant on one profile; the profile estimator may add fields. */
export const EstimateSchema = Type.Object({
  latencyMs: Type.Optional(Type.Number()),
  peakMemoryBytes: Type.Optional(Type.Number()),
  sizeBytes: Type.Optional(Type.Number()),
}, { additionalProperties: true });

export const ProfilePlanEntrySchema = Type.Object({
  profile: Type.String(),
  /** The variant this profile gets; null when none fits (then `reason` names the failed limit). */
  variant: Type.Union([VariantNameSchema, Type.Null()]),
  reason: Type.String(),
  /** Per variant name. */
  estimates: Type.Record(Type.String(), EstimateSchema),
}, { additionalProperties: false });
export type ProfilePlanEntry = Static<typeof ProfilePlanEntrySchema>;

export const QuantisationLineageSchema = Type.Object({
  mode: Type.Union([Type.Literal('static'), Type.Literal('dynamic')]),
  calibration: Type.Union([Type.Literal('minmax'), Type.Literal('percentile'), Type.Null()]),
  calibrationWindows: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  /** The quantiser's report in brief, e.g. {quantisedNodes, floatNodes, unsupported: [...]}. */
  report: Type.Record(Type.String(), Type.Unknown()),
}, { additionalProperties: false });

export const LineageSchema = Type.Object({
  trainingJobId: Type.Union([Type.String(), Type.Null()]),
  dataRange: Type.Union([DataRangeSchema, Type.Null()]),
  parentVersion: Type.Optional(Type.Integer({ minimum: 1 })),
  quantisation: Type.Union([QuantisationLineageSchema, Type.Null()]),
  /** The shadow evaluation of this version as a challenger: devices, held-out comparison, verdict, deployments. */
  shadow: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
}, { additionalProperties: false });
export type Lineage = Static<typeof LineageSchema>;

/** Metrics per variant name, e.g. {fp32: {auc: 0.93}, int8: {auc: 0.92}}. */
export const MetricsSchema = Type.Record(Type.String(), Type.Record(Type.String(), Type.Unknown()));
export type Metrics = Static<typeof MetricsSchema>;

export const ModelVersionSchema = Type.Object({
  model: ModelName,
  version: Type.Integer({ minimum: 1 }),
  status: VersionStatusSchema,
  /** Why a version is failed or rejected; null otherwise. */
  statusReason: Type.Union([Type.String(), Type.Null()]),
  jobId: Type.Union([Type.String(), Type.Null()]),
  createdAtMs: Type.Number(),
  updatedAtMs: Type.Number(),
  /** The recipe as trained (JSON, checked against RecipeSchema when the job was accepted). */
  recipe: Type.Unknown(),
  dataRange: Type.Union([DataRangeSchema, Type.Null()]),
  /** preprocess.json's content (shared/features PreprocessSpec). */
  preprocess: Type.Unknown(),
  metrics: MetricsSchema,
  variants: Type.Array(VariantSchema),
  plan: Type.Array(ProfilePlanEntrySchema),
  lineage: LineageSchema,
  artefacts: Type.Array(ArtefactSchema),
});
export type ModelVersion = Static<typeof ModelVersionSchema>;

export const ModelSummarySchema = Type.Object({
  name: ModelName,
  task: Type.String(),
  createdAtMs: Type.Number(),
  updatedAtMs: Type.Number(),
  versions: Type.Integer({ minimum: 0 }),
  latest: Type.Union([Type.Object({
    version: Type.Integer(),
    status: VersionStatusSchema,
    createdAtMs: Type.Number(),
    metrics: MetricsSchema,
    variants: Type.Array(Type.Object({ variant: VariantNameSchema, accepted: Type.Boolean(), bytes: Type.Integer() })),
  }), Type.Null()]),
});
export type ModelSummary = Static<typeof ModelSummarySchema>;

/** What the pipeline fills in when it finishes a version. */
export const CompleteVersionSchema = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('rejected'), Type.Literal('failed')]),
  statusReason: Type.Optional(Type.String()),
  dataRange: Type.Optional(DataRangeSchema),
  preprocess: Type.Optional(Type.Unknown()),
  metrics: Type.Optional(MetricsSchema),
  variants: Type.Optional(Type.Array(VariantInputSchema)),
  plan: Type.Optional(Type.Array(ProfilePlanEntrySchema)),
  parentVersion: Type.Optional(Type.Integer({ minimum: 1 })),
  quantisation: Type.Optional(QuantisationLineageSchema),
}, { additionalProperties: false });
export type CompleteVersion = Static<typeof CompleteVersionSchema>;
