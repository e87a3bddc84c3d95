/** Request schemas of the API (TypeBox, so fastify validates and openapi.ts describes them). */
import { Type, type Static } from '@sinclair/typebox';
import { JobStateSchema } from '../jobs/schema.ts';

const Id = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: '1-64 characters from A-Z a-z 0-9 _ -' });

export const DeviceParams = Type.Object({ id: Id });

export const ProvisionBody = Type.Object({
  id: Id,
  group: Type.Optional(Id),
  profile: Id,
  publicKey: Type.String({ pattern: '^[A-Za-z0-9+/]{43}=$', description: 'raw 32-byte ed25519 public key, base64' }),
}, { additionalProperties: false });

export const DeviceListQuery = Type.Object({
  group: Type.Optional(Id),
  profile: Type.Optional(Id),
  online: Type.Optional(Type.Boolean()),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
});

export const TelemetryQuerystring = Type.Object({
  from: Type.Optional(Type.String({ description: 'epoch milliseconds or ISO 8601; inclusive' })),
  to: Type.Optional(Type.String({ description: 'epoch milliseconds or ISO 8601; inclusive' })),
  limit: Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 }),
  stream: Type.Optional(Id),
});

export const TokenBody = Type.Object({
  name: Id,
  role: Type.Union([Type.Literal('viewer'), Type.Literal('operator'), Type.Literal('admin')]),
}, { additionalProperties: false });

export type DeviceParamsT = Static<typeof DeviceParams>;
export type ProvisionBodyT = Static<typeof ProvisionBody>;
export type DeviceListQueryT = Static<typeof DeviceListQuery>;
export type TelemetryQuerystringT = Static<typeof TelemetryQuerystring>;
export type TokenBodyT = Static<typeof TokenBody>;

// --- models and training jobs (routes/models.ts, routes/jobs.ts) --------------------------------

export const ModelParams = Type.Object({ name: Id });

export const VersionParams = Type.Object({ name: Id, version: Type.Integer({ minimum: 1 }) });

export const ArtefactParams = Type.Object({
  name: Id,
  version: Type.Integer({ minimum: 1 }),
  file: Type.String({ pattern: '^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$', description: 'artefact file name, e.g. model.int8.onnx' }),
});

const TimeBound = Type.Union([Type.String({ minLength: 1 }), Type.Number()], { description: 'epoch milliseconds or ISO 8601; inclusive' });

export const TrainBody = Type.Object({
  /** Checked by parseRecipe (cloud-hub/recipes/validate.ts), which names the bad field; absent → the model's last recipe. */
  recipe: Type.Optional(Type.Unknown({ description: 'a recipe (cloud-hub/recipes/schema.ts); absent: the recipe the model was last trained with' })),
  data: Type.Object({
    device: Type.Optional(Id),
    group: Type.Optional(Id),
    from: Type.Optional(TimeBound),
    to: Type.Optional(TimeBound),
  }, { additionalProperties: false, default: {}, description: 'stored readings to train on: one device, one group, or (neither) every device' }),
}, { additionalProperties: false });

export const JobParams = Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) });

export const JobListQuery = Type.Object({
  model: Type.Optional(Id),
  state: Type.Optional(JobStateSchema),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
});

export type ModelParamsT = Static<typeof ModelParams>;
export type VersionParamsT = Static<typeof VersionParams>;
export type ArtefactParamsT = Static<typeof ArtefactParams>;
export type TrainBodyT = Static<typeof TrainBody>;
export type JobParamsT = Static<typeof JobParams>;
export type JobListQueryT = Static<typeof JobListQuery>;

// --- uploaded ONNX models (routes/models-upload.ts) ----------------------------------------------

export const UploadBody = Type.Object({
  onnx: Type.String({ minLength: 1, description: 'the .onnx file (single file, opset ≥ 13, one float32 input [batch, window, features]) as base64; at most 64 MiB decoded' }),
  /** Checked by parsePreprocessSpec (shared/features), which names the bad field. */
  preprocess: Type.Unknown({ description: 'the preprocessing spec (preprocess.json: features, imputation, normalisation, window, fitted)' }),
  task: Type.Union([Type.Literal('anomaly'), Type.Literal('forecast'), Type.Literal('classify')]),
  /** Checked with the synthesised recipe (parseRecipe): classify needs {label, classes}; forecast may give {features, horizon}. */
  target: Type.Optional(Type.Unknown({ description: 'as a recipe\'s target: classify {label, classes}; forecast {features?, horizon?}' })),
  gates: Type.Optional(Type.Unknown({ description: 'as a recipe\'s gates; maxInt8Loss defaults to 0.02' })),
  quantisation: Type.Optional(Type.Object({
    mode: Type.Optional(Type.Union([Type.Literal('static'), Type.Literal('dynamic')], { description: 'default: static with data, dynamic (MatMul/Gemm) without' })),
    calibration: Type.Optional(Type.Union([Type.Literal('minmax'), Type.Literal('percentile')])),
    percentile: Type.Optional(Type.Number({ minimum: 90, maximum: 100 })),
    reduceRange: Type.Optional(Type.Boolean({ description: 'default true: 7-bit weights, exact on x86 without VNNI; false: full-range weights for ARM or VNNI fleets (decision 0017)' })),
  }, { additionalProperties: false })),
  data: Type.Optional(Type.Object({
    device: Type.Optional(Id),
    group: Type.Optional(Id),
    from: Type.Optional(TimeBound),
    to: Type.Optional(TimeBound),
  }, { additionalProperties: false, description: 'stored readings (one device or one group) to calibrate int8 on (older 80 % of the windows) and to evaluate fp32 and int8 on (newest 20 %)' })),
  description: Type.Optional(Type.String({ maxLength: 1000 })),
}, { additionalProperties: false });

export type UploadBodyT = Static<typeof UploadBody>;
