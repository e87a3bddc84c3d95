/**
 * What a bundle and its trust chain are made of, as TypeBox schemas: the hub builds these, the
 * agent parses them, `edgehive bundle inspect` prints them. DESIGN.md "Bundles and trust".
 *
 * Every signed document is canonical JSON (canonical.ts): the bytes a signature covers are the
 * bytes that are parsed, and a document that is not in canonical form is refused.
 */
import { Type, type Static } from '@sinclair/typebox';

const Id = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });
const Sha256Hex = Type.String({ pattern: '^[0-9a-f]{64}$' });
const Base64Key = Type.String({ pattern: '^[A-Za-z0-9+/]{43}=$', description: 'raw 32-byte ed25519 public key, base64' });
/** Key ids: the first 16 hex digits of sha256(public key). */
export const KeyIdSchema = Type.String({ pattern: '^[0-9a-f]{16}$' });
const SemVer = Type.String({ pattern: '^[0-9]+\\.[0-9]+\\.[0-9]+$' });

export const BUNDLE_FORMAT = 1;

export const ArtefactKindSchema = Type.Union([
  Type.Literal('model.onnx'),
  Type.Literal('preprocess.json'),
  Type.Literal('reference-stats'),
  Type.Literal('weights'),
  Type.Literal('model-card.md'),
]);
export type ArtefactKind = Static<typeof ArtefactKindSchema>;

export const ManifestArtefactSchema = Type.Object({
  name: Type.String({ pattern: '^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$' }),
  kind: ArtefactKindSchema,
  bytes: Type.Integer({ minimum: 0 }),
  sha256: Sha256Hex,
}, { additionalProperties: false });
export type ManifestArtefact = Static<typeof ManifestArtefactSchema>;

export const TensorSpecSchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 256 }),
  /** Dimensions; a string names a symbolic one (e.g. "batch"). */
  dims: Type.Array(Type.Union([Type.Integer({ minimum: 0 }), Type.String({ maxLength: 64 })]), { maxItems: 8 }),
  type: Type.Literal('float32'),
}, { additionalProperties: false });
export type TensorSpec = Static<typeof TensorSpecSchema>;

/** The canned input the agent runs after a swap, and the output the hub recorded for it. */
export const HealthCheckSchema = Type.Object({
  inputDims: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 8 }),
  input: Type.Array(Type.Number(), { maxItems: 65_536 }),
  output: Type.Array(Type.Number(), { maxItems: 65_536 }),
  /** Largest |got - recorded| / max(1, |recorded|) accepted per value. */
  tolerance: Type.Number({ exclusiveMinimum: 0, maximum: 1 }),
  /** Runs timed after one warm-up run; the median is compared with the profile's budget. */
  runs: Type.Integer({ minimum: 1, maximum: 100, default: 5 }),
}, { additionalProperties: false });
export type HealthCheck = Static<typeof HealthCheckSchema>;

export const BundleTargetSchema = Type.Object({
  profile: Id,
  /** Median health-check latency the device may show, from its device profile. */
  latencyBudgetMs: Type.Number({ exclusiveMinimum: 0 }),
}, { additionalProperties: false });
export type BundleTarget = Static<typeof BundleTargetSchema>;

export const ManifestSchema = Type.Object({
  format: Type.Literal(BUNDLE_FORMAT),
  fleet: Id,
  model: Id,
  /** Monotonically increasing per model; agents refuse a version not above the highest they have seen. */
  version: Type.Integer({ minimum: 1 }),
  createdMs: Type.Integer({ minimum: 0 }),
  expiresMs: Type.Integer({ minimum: 0 }),
  targets: Type.Array(BundleTargetSchema, { minItems: 1, maxItems: 64 }),
  minAgentVersion: SemVer,
  /** Which variant of the model version this is (fp32, int8, ...) and what it does. */
  variant: Type.String({ maxLength: 32 }),
  task: Type.Union([Type.Literal('anomaly'), Type.Literal('forecast'), Type.Literal('classify')]),
  /** The sensor stream whose readings feed the model. */
  stream: Id,
  inputs: Type.Array(TensorSpecSchema, { minItems: 1, maxItems: 8 }),
  outputs: Type.Array(TensorSpecSchema, { minItems: 1, maxItems: 8 }),
  /** In file order; exactly one of kind model.onnx. */
  artefacts: Type.Array(ManifestArtefactSchema, { minItems: 1, maxItems: 16 }),
  /** Evaluation metrics per variant, as the registry holds them. */
  metrics: Type.Record(Type.String(), Type.Record(Type.String(), Type.Unknown())),
  check: HealthCheckSchema,
  /** Where it came from: registry model version, training job. */
  source: Type.Object({
    modelVersion: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
    jobId: Type.Union([Type.String({ maxLength: 64 }), Type.Null()]),
  }, { additionalProperties: false }),
}, { additionalProperties: false });
export type Manifest = Static<typeof ManifestSchema>;

export const SignatureSchema = Type.Object({
  keyId: KeyIdSchema,
  /** ed25519 signature, base64 (64 bytes). */
  sig: Type.String({ pattern: '^[A-Za-z0-9+/]{86}==$' }),
}, { additionalProperties: false });
export type Signature = Static<typeof SignatureSchema>;

export const PublicKeyEntrySchema = Type.Object({
  id: KeyIdSchema,
  publicKey: Base64Key,
}, { additionalProperties: false });

/** The offline root key set, version n. Version n+1 is signed by a threshold of version n's keys and of its own. */
export const RootBodySchema = Type.Object({
  type: Type.Literal('edgehive-root'),
  fleet: Id,
  version: Type.Integer({ minimum: 1 }),
  threshold: Type.Integer({ minimum: 1 }),
  keys: Type.Array(PublicKeyEntrySchema, { minItems: 1, maxItems: 32 }),
  createdMs: Type.Integer({ minimum: 0 }),
}, { additionalProperties: false });
export type RootBody = Static<typeof RootBodySchema>;

/** The online signing keys, signed by a threshold of the root set. */
export const SigningKeyListBodySchema = Type.Object({
  type: Type.Literal('edgehive-signing-keys'),
  fleet: Id,
  /** Agents refuse a list whose version is below the highest they have accepted (revocations cannot be undone by replay). */
  version: Type.Integer({ minimum: 1 }),
  /** The root version whose keys sign this list. */
  rootVersion: Type.Integer({ minimum: 1 }),
  createdMs: Type.Integer({ minimum: 0 }),
  expiresMs: Type.Integer({ minimum: 0 }),
  keys: Type.Array(Type.Object({
    id: KeyIdSchema,
    publicKey: Base64Key,
    expiresMs: Type.Integer({ minimum: 0 }),
  }, { additionalProperties: false }), { maxItems: 32 }),
  revoked: Type.Array(KeyIdSchema, { maxItems: 1024 }),
}, { additionalProperties: false });
export type SigningKeyListBody = Static<typeof SigningKeyListBodySchema>;

/** A signed trust document as it travels: the canonical body and signatures over it. */
export const SignedRootSchema = Type.Object({ body: RootBodySchema, signatures: Type.Array(SignatureSchema, { maxItems: 64 }) }, { additionalProperties: false });
export type SignedRoot = Static<typeof SignedRootSchema>;
export const SignedKeyListSchema = Type.Object({ body: SigningKeyListBodySchema, signatures: Type.Array(SignatureSchema, { maxItems: 64 }) }, { additionalProperties: false });
export type SignedKeyList = Static<typeof SignedKeyListSchema>;

/**
 * The bundle's signature block: the manifest's signatures and the trust chain an agent needs
 * to check them from the root it was provisioned with (root rotations in version order, then
 * the signing-key list).
 */
export const SignatureBlockSchema = Type.Object({
  signatures: Type.Array(SignatureSchema, { minItems: 0, maxItems: 16 }),
  roots: Type.Array(SignedRootSchema, { maxItems: 64 }),
  keys: SignedKeyListSchema,
}, { additionalProperties: false });
export type SignatureBlock = Static<typeof SignatureBlockSchema>;

/** What an agent remembers between bundles (persisted; see edge-agent/bundles). */
export interface TrustState {
  /** The newest root the agent has accepted (first: the provisioned one). */
  root: RootBody;
  /** Highest signing-key-list version accepted (0: none yet). */
  keyListVersion: number;
  /** Highest bundle version verified, per model. */
  highestVersion: Record<string, number>;
}

/** Domain-separation prefixes: a signature over one kind of document never verifies as another. */
export const SIGNING_CONTEXT = {
  manifest: 'edgehive/bundle-manifest/v1\0',
  root: 'edgehive/root/v1\0',
  keyList: 'edgehive/signing-keys/v1\0',
} as const;
