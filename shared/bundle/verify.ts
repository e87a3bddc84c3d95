/**
 * Bundle verification, in the order DESIGN.md "Bundles and trust" gives: structure, root chain,
 * signing-key list, manifest signature, manifest rules, artefact hashes. Pure: the caller owns
 * the trust state and stores the returned one only once it has decided to keep the bundle.
 */
import { EdgehiveError } from '../errors/index.ts';
import { decodeBundle, type BundleParts } from './format.ts';
import { sha256Hex, shortId } from './hash.ts';
import { compareVersions } from './semver.ts';
import type { BundleTarget, RootBody, SigningKeyListBody, TrustState } from './schema.ts';
import { publicKeyOf, verifyDocument } from './signing-key.ts';
import { advanceRoot, checkKeyList } from './trust.ts';

export interface VerifyContext { fleet: string; profile: string; agentVersion: string; nowMs: number }
export interface VerifiedBundle extends BundleParts { trust: TrustState; signedBy: string; target: BundleTarget }

const iso = (ms: number): string => new Date(ms).toISOString();

/** The highest version seen for `model`; own properties only, since model ids like "constructor" are valid. */
export function highestVersionOf(trust: Pick<TrustState, 'highestVersion'>, model: string): number {
  return Object.hasOwn(trust.highestVersion, model) ? trust.highestVersion[model]! : 0;
}

/** One valid signature by a listed, unexpired, unrevoked key is enough; otherwise the first signature's refusal. */
function checkManifestSignature(parts: BundleParts, list: SigningKeyListBody, nowMs: number): string {
  const sigs = parts.block.signatures;
  if (sigs.length === 0) throw new EdgehiveError('EH_BUNDLE_SIGNATURE', 'bundle is unsigned: its manifest carries no signature; build it with edgehive bundle build or the hub');
  let first: EdgehiveError | undefined;
  for (const s of sigs) {
    const refusal = refuseSignature(parts, list, nowMs, s);
    if (!refusal) return s.keyId;
    first ??= refusal;
  }
  throw first!;
}

function refuseSignature(parts: BundleParts, list: SigningKeyListBody, nowMs: number, s: { keyId: string; sig: string }): EdgehiveError | undefined {
  const key = `key ${shortId(s.keyId)}`;
  const fix = 're-sign it with a current key (edgehive keys new-signing-key)';
  if (list.revoked.includes(s.keyId)) {
    return new EdgehiveError('EH_BUNDLE_KEY_REVOKED', `bundle signed by ${key}, which is revoked in signing-key list v${list.version}; ${fix}`, { keyId: s.keyId, listVersion: list.version });
  }
  const entry = list.keys.find((k) => k.id === s.keyId);
  if (!entry) {
    return new EdgehiveError('EH_BUNDLE_KEY_UNKNOWN', `bundle signed by ${key}, which signing-key list v${list.version} does not list; ${fix}`, { keyId: s.keyId, listVersion: list.version });
  }
  if (entry.expiresMs <= nowMs) {
    return new EdgehiveError('EH_BUNDLE_KEY_EXPIRED', `bundle signed by ${key}, which expired at ${iso(entry.expiresMs)}; ${fix}`, { keyId: s.keyId, expiresMs: entry.expiresMs });
  }
  if (!verifyDocument('manifest', parts.manifestBytes, s, publicKeyOf(entry.publicKey, `signing key ${s.keyId}`))) {
    return new EdgehiveError('EH_BUNDLE_SIGNATURE', `the manifest signature by ${key} does not verify: the manifest was changed after signing or the signature is damaged; rebuild the bundle`, { keyId: s.keyId });
  }
  return undefined;
}

/** Every artefact's sha256 against the manifest. */
export function checkArtefacts(parts: BundleParts): void {
  for (const a of parts.manifest.artefacts) {
    const data = parts.artefacts.get(a.name);
    const got = data === undefined ? 'missing' : sha256Hex(data);
    if (got !== a.sha256) {
      throw new EdgehiveError('EH_BUNDLE_HASH', `artefact "${a.name}" (${a.kind}) has sha256 ${got.slice(0, 12)}… but the manifest says ${a.sha256.slice(0, 12)}…; the bundle was damaged or tampered with, fetch it again`, { artefact: a.name, got, expected: a.sha256 });
    }
  }
}

interface Checks { nowMs: number; fleet?: string | undefined; profile?: string | undefined; agentVersion?: string | undefined }

function verifyFrom(bytes: Uint8Array, trust: TrustState, c: Checks): VerifiedBundle {
  const parts = decodeBundle(bytes);
  const root = advanceRoot(trust.root, parts.block.roots);
  const list = checkKeyList(root, parts.block.keys, c.nowMs, trust.keyListVersion);
  const signedBy = checkManifestSignature(parts, list, c.nowMs);
  const m = parts.manifest;
  const name = `bundle ${m.model} v${m.version}`;
  if (m.fleet !== root.fleet || (c.fleet !== undefined && m.fleet !== c.fleet)) {
    throw new EdgehiveError('EH_BUNDLE_TARGET', `${name} is for fleet ${m.fleet}, not ${c.fleet ?? root.fleet}; deploy a bundle built for this fleet`, { fleet: m.fleet });
  }
  const target = c.profile === undefined ? m.targets[0]! : m.targets.find((t) => t.profile === c.profile);
  if (!target) {
    throw new EdgehiveError('EH_BUNDLE_TARGET', `${name} targets profiles ${m.targets.map((t) => t.profile).join(', ')}, not ${c.profile}; deploy a bundle built for this device profile`, { profile: c.profile });
  }
  if (m.expiresMs <= c.nowMs) {
    throw new EdgehiveError('EH_BUNDLE_EXPIRED', `${name} expired at ${iso(m.expiresMs)}; build and deploy a fresh bundle`, { expiresMs: m.expiresMs });
  }
  if (c.agentVersion !== undefined && compareVersions(c.agentVersion, m.minAgentVersion) < 0) {
    throw new EdgehiveError('EH_BUNDLE_AGENT_TOO_OLD', `${name} needs agent ${m.minAgentVersion} or newer but this agent is ${c.agentVersion}; upgrade the agent first`, { minAgentVersion: m.minAgentVersion, agentVersion: c.agentVersion });
  }
  const highest = highestVersionOf(trust, m.model);
  if (m.version <= highest) {
    throw new EdgehiveError('EH_BUNDLE_REPLAY', `${name} is not above v${highest}, the highest this device has seen for ${m.model}; to roll back, publish the old model under a new version`, { version: m.version, highest });
  }
  checkArtefacts(parts);
  const next: TrustState = {
    root,
    keyListVersion: Math.max(trust.keyListVersion, list.version),
    highestVersion: { ...trust.highestVersion, [m.model]: m.version },
  };
  return { ...parts, trust: next, signedBy, target };
}

/** Verifies a bundle as an agent does and returns the trust state to keep if it installs it. Throws EdgehiveError EH_BUNDLE_*. */
export function verifyBundle(bytes: Uint8Array, trust: TrustState, ctx: VerifyContext): VerifiedBundle {
  return verifyFrom(bytes, trust, ctx);
}

/** The same checks from a given root with no history; fleet, profile and agent version only when given. */
export function verifyOffline(bytes: Uint8Array, root: RootBody, opts: { nowMs: number; fleet?: string; profile?: string; agentVersion?: string }): VerifiedBundle {
  return verifyFrom(bytes, { root, keyListVersion: 0, highestVersion: {} }, opts);
}
