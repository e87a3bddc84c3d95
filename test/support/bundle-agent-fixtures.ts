/**
 * Real signed bundles for the agent's bundle tests: a 2-of-3 root, signing keys, a tiny real ONNX
 * model with a preprocessing spec the agent's runtime accepts, bundles built and signed with
 * shared/bundle, re-encoded variants (tampered, re-signed) for the refusal tests, and the chunk
 * and desired-state messages the hub would publish.
 */
import {
  buildBundle, decodeBundle, encodeBundle, generateSigningKey, makeKeyList, makeRoot, recordHealthCheck, sha256Hex,
  signKeyList, signRoot, splitBundle,
  type BuiltBundle, type BundleParts, type HealthCheck, type Manifest, type RootBody, type SignatureBlock, type SignedKeyList, type SignedRoot, type SigningKey,
} from '../../shared/bundle/index.ts';
import { fitPreprocess, serialisePreprocessSpec, type PreprocessSpec } from '../../shared/features/index.ts';
import { encode } from '../../shared/protocol/codec.ts';
import { topicsFor } from '../../shared/protocol/topics.ts';
import { eye, reconstructionModel } from './tiny-onnx.ts';
import type { PlainBroker } from './plain-broker.ts';

export const FLEET = 'fleet-b';
export const PROFILE = 'edge-small';
export const STREAM = 'env';
export const FEATURES = ['a', 'b'] as const;
export const WINDOW = 4;
const DAY = 86_400_000;

export interface TestKeys {
  fleet: string;
  rootKeys: SigningKey[];
  roots: SignedRoot[];
  /** What devices are provisioned with. */
  rootBody: RootBody;
  signer: SigningKey;
  keys: SignedKeyList;
}

/** Root v1 (2 of 3 keys), one signing key in list v1, valid for a year from `nowMs`. */
export function makeKeys(nowMs: number, fleet = FLEET): TestKeys {
  const rootKeys = [generateSigningKey(), generateSigningKey(), generateSigningKey()];
  const rootBody = makeRoot({ fleet, version: 1, threshold: 2, publicKeys: rootKeys.map((k) => k.publicKey), createdMs: nowMs - DAY });
  const signer = generateSigningKey();
  const keys = signKeyList(makeKeyList({ fleet, version: 1, rootVersion: 1, createdMs: nowMs - DAY, expiresMs: nowMs + 365 * DAY, keys: [{ publicKey: signer.publicKey, expiresMs: nowMs + 365 * DAY }] }), rootKeys);
  return { fleet, rootKeys, roots: [signRoot(rootBody, rootKeys)], rootBody, signer, keys };
}

/** A new signing-key list version signed by `signers` of the current root (default: all of them). */
export function keyList(k: TestKeys, o: { version: number; rootVersion?: number; keys: Array<{ key: SigningKey; expiresMs: number }>; revoked?: string[]; signers?: SigningKey[]; nowMs: number; expiresMs?: number }): SignedKeyList {
  const body = makeKeyList({
    fleet: k.fleet, version: o.version, rootVersion: o.rootVersion ?? 1, createdMs: o.nowMs - DAY, expiresMs: o.expiresMs ?? o.nowMs + 365 * DAY,
    keys: o.keys.map((x) => ({ publicKey: x.key.publicKey, expiresMs: x.expiresMs })), revoked: o.revoked ?? [],
  });
  return signKeyList(body, o.signers ?? k.rootKeys);
}

/** Per-window reconstruction: identity weights times `scale` (1: perfect reconstruction). */
export function tinyModel(scale = 1): Uint8Array {
  return reconstructionModel(WINDOW, FEATURES.length, eye(FEATURES.length, scale), [0, 0]);
}

export function tinyPreprocess(): PreprocessSpec {
  const rows = Array.from({ length: 40 }, (_, i) => [Math.sin(i / 3) * 5 + 20, Math.cos(i / 4) + (i % 3)]);
  return fitPreprocess(rows, { features: [...FEATURES], imputation: { method: 'last' }, normalisation: 'zscore', window: { length: WINDOW, stride: 1 } });
}

const checks = new Map<string, Promise<HealthCheck>>();
/** The health check recorded with ONNX Runtime for `model` (cached: the same bytes give the same check). */
export function checkFor(model: Uint8Array): Promise<HealthCheck> {
  const key = sha256Hex(model);
  let c = checks.get(key);
  if (!c) {
    c = recordHealthCheck(model, [1, WINDOW, FEATURES.length], { runs: 3 });
    checks.set(key, c);
  }
  return c;
}

export interface BundleOptions {
  version: number;
  nowMs: number;
  model?: string;
  fleet?: string;
  targets?: Array<{ profile: string; latencyBudgetMs: number }>;
  createdMs?: number;
  expiresMs?: number;
  minAgentVersion?: string;
  /** The model.onnx artefact (default tinyModel()); its health check is recorded from `checkModel` (default: itself). */
  onnx?: Uint8Array;
  checkModel?: Uint8Array;
  /** Bytes of an extra `weights` artefact, to make a bundle of several chunks. */
  padBytes?: number;
  signer?: SigningKey;
  roots?: SignedRoot[];
  keys?: SignedKeyList;
  withPreprocess?: boolean;
}

export async function makeBundle(k: TestKeys, o: BundleOptions): Promise<BuiltBundle> {
  const onnx = o.onnx ?? tinyModel();
  const check = await checkFor(o.checkModel ?? onnx);
  const artefacts: Array<{ name: string; kind: Manifest['artefacts'][number]['kind']; data: Uint8Array }> = [{ name: 'model.onnx', kind: 'model.onnx', data: onnx }];
  if (o.withPreprocess !== false) artefacts.push({ name: 'preprocess.json', kind: 'preprocess.json', data: new TextEncoder().encode(serialisePreprocessSpec(tinyPreprocess())) });
  if (o.padBytes) artefacts.push({ name: 'weights.bin', kind: 'weights', data: Uint8Array.from({ length: o.padBytes }, (_, i) => (i * 2654435761) >>> 24) });
  return buildBundle({
    manifest: {
      fleet: o.fleet ?? k.fleet, model: o.model ?? 'pump', version: o.version,
      createdMs: o.createdMs ?? o.nowMs - 60_000, expiresMs: o.expiresMs ?? o.nowMs + 30 * DAY,
      targets: o.targets ?? [{ profile: PROFILE, latencyBudgetMs: 1000 }],
      minAgentVersion: o.minAgentVersion ?? '0.1.0', variant: 'fp32', task: 'anomaly', stream: STREAM,
      inputs: [{ name: 'x', dims: ['N', WINDOW, FEATURES.length], type: 'float32' }],
      outputs: [{ name: 'y', dims: ['N', WINDOW, FEATURES.length], type: 'float32' }],
      metrics: {}, check, source: { modelVersion: o.version, jobId: null },
    },
    artefacts, signer: o.signer ?? k.signer, roots: o.roots ?? k.roots, keys: o.keys ?? k.keys,
  });
}

/** What travels: the id the desired state names and the file's bytes. */
export interface Shippable { id: string; bytes: Uint8Array }

/** The same manifest with another signature block or artefacts (the id, the manifest's hash, stays). */
export function reencode(b: Shippable, change: { block?: (b: SignatureBlock, p: BundleParts) => SignatureBlock; artefacts?: (a: Uint8Array[], p: BundleParts) => Uint8Array[] }): Shippable {
  const p = decodeBundle(b.bytes);
  const arts = p.manifest.artefacts.map((a) => p.artefacts.get(a.name)!);
  const block = change.block ? change.block(structuredClone(p.block), p) : p.block;
  return { id: b.id, bytes: encodeBundle(p.manifestBytes, block, change.artefacts ? change.artefacts(arts.map((x) => Uint8Array.from(x)), p) : arts) };
}

export interface ChunkMessage { index: number; payload: Uint8Array }

/** The hub's chunk messages; `alter` may change one before encoding (wrong hash, index, total). */
export function chunkMessages(b: Shippable, alter?: (c: { bundleId: string; index: number; total: number; data: Uint8Array; sha256: Uint8Array }) => typeof c): ChunkMessage[] {
  return splitBundle(b.bytes).map((c) => {
    const m = { bundleId: b.id, index: c.index, total: c.total, data: c.data, sha256: c.sha256 };
    const out = alter ? alter(m) : m;
    return { index: c.index, payload: encode('bundle-chunk', out) };
  });
}

/** `shadow`: a challenger to run beside `b` (the shadow_bundle_* fields); its chunks must be published too. */
export function desiredPayload(b: Shippable | null, over: { bytes?: number; chunks?: number; sha256?: string; shadow?: Shippable | null } = {}): Uint8Array {
  const s = over.shadow ?? null;
  const shadow = s === null ? {} : { shadowBundleId: s.id, shadowBundleBytes: s.bytes.length, shadowBundleChunks: splitBundle(s.bytes).length, shadowBundleSha256: sha256Hex(s.bytes) };
  if (b === null) return encode('desired', { tsMs: Date.now(), bundleId: '', ...shadow });
  const bytes = over.bytes ?? b.bytes.length;
  return encode('desired', {
    tsMs: Date.now(), bundleId: b.id, bundleBytes: bytes,
    bundleChunks: over.chunks ?? splitBundle(b.bytes).length, bundleSha256: over.sha256 ?? sha256Hex(b.bytes), ...shadow,
  });
}

/** Publishes a bundle's chunks retained, as the hub does before pointing a desired state at it. */
export async function publishChunks(broker: PlainBroker, b: Shippable, o: { fleet?: string; messages?: ChunkMessage[] } = {}): Promise<void> {
  const t = topicsFor(o.fleet ?? FLEET);
  for (const m of o.messages ?? chunkMessages(b)) await broker.publish(t.bundleChunk(b.id, m.index), m.payload);
}

export async function setDesired(broker: PlainBroker, device: string, b: Shippable | null, over: Parameters<typeof desiredPayload>[1] = {}, fleet = FLEET): Promise<void> {
  await broker.publish(topicsFor(fleet).device(device, 'desired'), desiredPayload(b, over));
}
