/**
 * Building a bundle on the hub: fill in the artefact list, check the manifest against its
 * schema, sign it, and refuse anything an agent would refuse on trust grounds, so the hub never
 * ships a bundle that fails on every device.
 */
import { EdgehiveError } from '../errors/index.ts';
import { canonicalBytes } from './canonical.ts';
import { bundleIdOf, checkAgainst, checkManifestArtefacts, encodeBundle } from './format.ts';
import { sha256Hex, shortId } from './hash.ts';
import { BUNDLE_FORMAT, ManifestSchema, type ArtefactKind, type Manifest, type SignedKeyList, type SignedRoot } from './schema.ts';
import { signDocument, type SigningKey } from './signing-key.ts';
import { advanceRoot, checkKeyList } from './trust.ts';
import { toBase64 } from '../crypto/ed25519.ts';

export interface BuildInput {
  manifest: Omit<Manifest, 'format' | 'artefacts'>;
  artefacts: ReadonlyArray<{ name: string; kind: ArtefactKind; data: Uint8Array }>;
  signer: SigningKey;
  roots: readonly SignedRoot[];
  keys: SignedKeyList;
}
export interface BuiltBundle { id: string; bytes: Uint8Array; manifest: Manifest; sha256: string }

/** The signer must be listed (same public key), unrevoked and unexpired at the manifest's creation time. */
export function checkSigner(signer: SigningKey, keys: SignedKeyList, nowMs: number): void {
  const list = keys.body;
  const key = `signing key ${shortId(signer.keyId)}`;
  if (list.revoked.includes(signer.keyId)) {
    throw new EdgehiveError('EH_BUNDLE_KEY_REVOKED', `${key} is revoked in signing-key list v${list.version}; create a new one (edgehive keys new-signing-key)`);
  }
  const entry = list.keys.find((k) => k.id === signer.keyId);
  if (!entry || entry.publicKey !== toBase64(signer.publicKey)) {
    throw new EdgehiveError('EH_BUNDLE_KEY_UNKNOWN', `${key} is not in signing-key list v${list.version}, so agents would refuse the bundle; create a listed key (edgehive keys new-signing-key)`, { keyId: signer.keyId });
  }
  if (entry.expiresMs <= nowMs) {
    throw new EdgehiveError('EH_BUNDLE_KEY_EXPIRED', `${key} expired at ${new Date(entry.expiresMs).toISOString()}; create a new one (edgehive keys new-signing-key)`);
  }
}

export function buildBundle(input: BuildInput): BuiltBundle {
  const manifest: Manifest = {
    ...input.manifest,
    format: BUNDLE_FORMAT,
    artefacts: input.artefacts.map((a) => ({ name: a.name, kind: a.kind, bytes: a.data.length, sha256: sha256Hex(a.data) })),
  };
  checkAgainst(ManifestSchema, manifest, 'manifest');
  checkManifestArtefacts(manifest.artefacts);
  const first = input.roots[0];
  if (!first) throw new EdgehiveError('EH_BUNDLE_MALFORMED', 'a bundle needs the trust chain: pass the hub\'s roots (root-1.json onwards)');
  const root = advanceRoot(first.body, input.roots);
  if (manifest.fleet !== root.fleet) {
    throw new EdgehiveError('EH_BUNDLE_TARGET', `manifest is for fleet ${manifest.fleet} but the keys are for fleet ${root.fleet}; build with that fleet's keys`);
  }
  checkKeyList(root, input.keys, manifest.createdMs, 0);
  checkSigner(input.signer, input.keys, manifest.createdMs);
  const manifestBytes = canonicalBytes(manifest, 'EH_BUNDLE_MALFORMED');
  const block = { signatures: [signDocument('manifest', manifestBytes, input.signer)], roots: [...input.roots], keys: input.keys };
  const bytes = encodeBundle(manifestBytes, block, input.artefacts.map((a) => a.data));
  return { id: bundleIdOf(manifestBytes), bytes, manifest, sha256: sha256Hex(bytes) };
}
