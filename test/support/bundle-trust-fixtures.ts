/**
 * Real trust chains and bundles for the shared/bundle tests and bench/verify.ts, in memory:
 * fresh ed25519 root and signing keys, a tiny real ONNX model, and helpers to assemble a bundle
 * by hand when a test needs one that buildBundle would refuse to make (unsigned, signed by the
 * wrong key, a broken chain).
 */
import {
  buildBundle, canonicalBytes, encodeBundle, generateSigningKey, makeKeyList, makeRoot, sha256Hex,
  signDocument, signKeyList, signRoot, BUNDLE_FORMAT,
  type ArtefactKind, type BuildInput, type BuiltBundle, type HealthCheck, type Manifest, type RootBody,
  type SignatureBlock, type SignedKeyList, type SignedRoot, type SigningKey, type TrustState,
} from '../../shared/bundle/index.ts';
import { denseModel } from './tiny-onnx.ts';

export const T0 = Date.UTC(2025, 0, 1);
export const DAY = 86_400_000;
export const FLEET = 'fleet-a';
export const PROFILE = 'rpi4';

export interface TestFleet {
  rootKeys: SigningKey[];
  roots: SignedRoot[];
  signer: SigningKey;
  keys: SignedKeyList;
}

/** A 2-of-3 root v1 and a list v1 with one signing key valid 90 days. */
export function makeFleet(fleet = FLEET, nowMs = T0): TestFleet {
  const rootKeys = [generateSigningKey(), generateSigningKey(), generateSigningKey()];
  const body = makeRoot({ fleet, version: 1, threshold: 2, publicKeys: rootKeys.map((k) => k.publicKey), createdMs: nowMs });
  const signer = generateSigningKey();
  const keys = listFor(body, rootKeys.slice(0, 2), 1, [{ key: signer, expiresMs: nowMs + 90 * DAY }]);
  return { rootKeys, roots: [signRoot(body, rootKeys)], signer, keys };
}

export function listFor(root: RootBody, signers: readonly SigningKey[], version: number, keys: ReadonlyArray<{ key: SigningKey; expiresMs: number }>, o: { revoked?: string[]; expiresMs?: number; createdMs?: number; fleet?: string } = {}): SignedKeyList {
  const body = makeKeyList({
    fleet: o.fleet ?? root.fleet,
    version,
    rootVersion: root.version,
    createdMs: o.createdMs ?? T0,
    expiresMs: o.expiresMs ?? Math.max(T0 + DAY, ...keys.map((k) => k.expiresMs)),
    keys: keys.map((k) => ({ publicKey: k.key.publicKey, expiresMs: k.expiresMs })),
    revoked: o.revoked ?? [],
  });
  return signKeyList(body, signers);
}

/** Root v(n+1) with fresh keys, signed by `oldSigners` and by the first `ownSigners` new keys (all by default). */
export function rotate(prev: RootBody, oldSigners: readonly SigningKey[], o: { threshold?: number; ownSigners?: number } = {}): { keys: SigningKey[]; signed: SignedRoot } {
  const keys = [generateSigningKey(), generateSigningKey(), generateSigningKey()];
  const body = makeRoot({ fleet: prev.fleet, version: prev.version + 1, threshold: o.threshold ?? 2, publicKeys: keys.map((k) => k.publicKey), createdMs: T0 });
  return { keys, signed: signRoot(body, [...oldSigners, ...keys.slice(0, o.ownSigners ?? keys.length)]) };
}

export const MODEL = denseModel([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], 4, 2, [0.01, -0.01]);

/** A recorded check for MODEL would need ONNX Runtime; trust tests only need a well-formed one. */
export const CHECK: HealthCheck = { inputDims: [1, 4], input: [0.5, -0.5, 0.25, -0.25], output: [0, 0], tolerance: 1e-3, runs: 5 };

export function manifestInput(o: Partial<BuildInput['manifest']> = {}): BuildInput['manifest'] {
  return {
    fleet: FLEET,
    model: 'pump-anomaly',
    version: 1,
    createdMs: T0,
    expiresMs: T0 + 30 * DAY,
    targets: [{ profile: PROFILE, latencyBudgetMs: 20 }],
    minAgentVersion: '0.1.0',
    variant: 'int8',
    task: 'anomaly',
    stream: 'vibration',
    inputs: [{ name: 'x', dims: ['batch', 4], type: 'float32' }],
    outputs: [{ name: 'y', dims: ['batch', 2], type: 'float32' }],
    metrics: { int8: { mae: 0.1 } },
    check: CHECK,
    source: { modelVersion: 3, jobId: 'job-1' },
    ...o,
  };
}

export type TestArtefact = { name: string; kind: ArtefactKind; data: Uint8Array };
export const ARTEFACTS: TestArtefact[] = [
  { name: 'model.onnx', kind: 'model.onnx', data: MODEL },
  { name: 'preprocess.json', kind: 'preprocess.json', data: new TextEncoder().encode('{"features":["a"]}') },
];

export function build(f: TestFleet, o: Partial<BuildInput['manifest']> = {}, more: Partial<BuildInput> = {}): BuiltBundle {
  return buildBundle({ manifest: manifestInput(o), artefacts: ARTEFACTS, signer: f.signer, roots: f.roots, keys: f.keys, ...more });
}

/** Assembles a bundle without buildBundle's checks; `signers` sign the manifest as given. */
export function assemble(f: Pick<TestFleet, 'roots' | 'keys'>, signers: readonly SigningKey[], o: { manifest?: Partial<Manifest>; artefacts?: TestArtefact[] } = {}): Uint8Array {
  const artefacts = o.artefacts ?? ARTEFACTS;
  const manifest: Manifest = {
    ...manifestInput(),
    format: BUNDLE_FORMAT,
    artefacts: artefacts.map((a) => ({ name: a.name, kind: a.kind, bytes: a.data.length, sha256: sha256Hex(a.data) })),
    ...o.manifest,
  };
  const manifestBytes = canonicalBytes(manifest);
  const block: SignatureBlock = { signatures: signers.map((s) => signDocument('manifest', manifestBytes, s)), roots: f.roots, keys: f.keys };
  return encodeBundle(manifestBytes, block, artefacts.map((a) => a.data));
}

export function agentTrust(f: Pick<TestFleet, 'roots'>, o: Partial<TrustState> = {}): TrustState {
  return { root: f.roots[0]!.body, keyListVersion: 0, highestVersion: {}, ...o };
}

export const CTX = { fleet: FLEET, profile: PROFILE, agentVersion: '0.1.0', nowMs: T0 + DAY };
