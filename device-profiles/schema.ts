/**
 * The schema of a device profile: one JSON file per device class in this folder. The hub reads
 * the profiles to estimate, per model variant, whether it fits a class (size, memory, latency)
 * and refuses a deployment that does not, naming the limit. Hardware figures come from the
 * makers' data sheets and each profile names its sources; the limits, the latency budget and the
 * bundle storage are this project's policy for the class, and `computeFactor` is an estimate to
 * be calibrated (see README.md).
 */
import { Type, type Static } from '@sinclair/typebox';

export const PROFILE_ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';

const Text = Type.String({ minLength: 1 });
const Bytes = Type.Integer({ minimum: 1, description: 'bytes' });

export const ArchitectureSchema = Type.Union([
  Type.Literal('arm64'),
  Type.Literal('armv7'),
  Type.Literal('x86_64'),
], { description: 'instruction set the agent binary and ONNX Runtime run in' });

/**
 * ONNX Runtime execution providers, by the short names onnxruntime-node takes in
 * `executionProviders` (its own list plus the providers of custom ORT builds, for classes whose
 * hardware has them). `cpu` is always present: ORT falls back to it for every operator.
 */
export const ExecutionProviderSchema = Type.Union([
  Type.Literal('cpu'),
  Type.Literal('cuda'),
  Type.Literal('tensorrt'),
  Type.Literal('openvino'),
  Type.Literal('dnnl'),
  Type.Literal('xnnpack'),
  Type.Literal('acl'),
  Type.Literal('armnn'),
  Type.Literal('rocm'),
  Type.Literal('migraphx'),
  Type.Literal('dml'),
  Type.Literal('coreml'),
  Type.Literal('nnapi'),
  Type.Literal('qnn'),
  Type.Literal('webgpu'),
]);

export const CpuSchema = Type.Object({
  model: Text,
  cores: Type.Integer({ minimum: 1, maximum: 1024 }),
  /** Left out where the maker's figure could not be confirmed (the profile's notes say so). */
  maxClockMHz: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  /** Architecture level, e.g. "Armv8.0-A", "Armv8.2-A", "x86-64 (SSE4.2, no AVX)". */
  isa: Type.Optional(Text),
}, { additionalProperties: false });

export const Int8Schema = Type.Object({
  /**
   * True when the CPU has instructions that speed integer 8-bit matrix products up: Arm's
   * dot-product extension (SDOT/UDOT, optional in Armv8.2-A, absent from Armv8.0-A cores), or
   * x86 AVX2 / AVX-VNNI / AVX-512 VNNI. False does not mean int8 models cannot run (ONNX Runtime
   * has plain NEON/SSE kernels); it means little or no speed-up over fp32 should be expected.
   */
  supported: Type.Boolean(),
  /** The relevant instruction-set features, e.g. ["neon"], ["neon", "dotprod"], ["sse4.2"]. */
  instructions: Type.Array(Text, { uniqueItems: true }),
  note: Text,
}, { additionalProperties: false });

export const LimitsSchema = Type.Object({
  /** Largest model file (one variant, on disk) the hub may deploy to this class. */
  maxModelBytes: Bytes,
  /** Largest resident set the agent may reach with the model loaded and running. */
  maxAgentRssBytes: Bytes,
}, { additionalProperties: false });

export const SourceSchema = Type.Object({
  title: Text,
  url: Type.String({ pattern: '^https?://[^\\s]+$' }),
  /** Date the source was read, YYYY-MM-DD. */
  retrieved: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
}, { additionalProperties: false });

export const DeviceProfileSchema = Type.Object({
  /** Equal to the file name without `.json`; agents name their class by it (`profile` in agent config). */
  id: Type.String({ pattern: PROFILE_ID_PATTERN }),
  name: Text,
  architecture: ArchitectureSchema,
  cpu: CpuSchema,
  /** Memory of the variant this profile describes (products come in several; notes name them). */
  ramBytes: Bytes,
  /** Storage the agent may use for model bundles on this class (policy; the device's disk is larger). */
  bundleStorageBytes: Bytes,
  int8: Int8Schema,
  executionProviders: Type.Array(ExecutionProviderSchema, { minItems: 1, uniqueItems: true, contains: Type.Literal('cpu') }),
  /**
   * Estimated latency multiplier against the hub's CPU: one single-threaded inference takes
   * `computeFactor` times as long on this class as on the hub (> 1: slower, < 1: faster).
   * An estimate, to be calibrated by measuring on a real device (README.md).
   */
  computeFactor: Type.Number({ exclusiveMinimum: 0, maximum: 10_000 }),
  /** How `computeFactor` was estimated, with its assumptions. */
  computeFactorBasis: Text,
  /** Longest a single inference may take on this class for a deployment to be accepted. */
  inferenceLatencyBudgetMs: Type.Number({ exclusiveMinimum: 0 }),
  limits: LimitsSchema,
  sources: Type.Array(SourceSchema, { minItems: 1 }),
  notes: Type.Optional(Type.String()),
}, { additionalProperties: false });

export type DeviceProfile = Static<typeof DeviceProfileSchema>;
export type ExecutionProvider = Static<typeof ExecutionProviderSchema>;
export type Architecture = Static<typeof ArchitectureSchema>;
