/**
 * The trust chain (DESIGN.md "Bundles and trust"): offline root key sets, version by version,
 * and the list of online signing keys a root signs. Pure functions: they take documents and the
 * time, and return the accepted document or throw EH_BUNDLE_*.
 */
import { toBase64 } from '../crypto/ed25519.ts';
import { EdgehiveError } from '../errors/index.ts';
import { schemaProblems } from '../config/validate.ts';
import { canonicalBytes } from './canonical.ts';
import { keyIdOf } from './hash.ts';
import { RootBodySchema, SigningKeyListBodySchema, type RootBody, type Signature, type SignedKeyList, type SignedRoot, type SigningKeyListBody } from './schema.ts';
import { publicKeyOf, signDocument, verifyDocument, type SigningContext, type SigningKey } from './signing-key.ts';
import type { TSchema } from '@sinclair/typebox';

function checkSchema(schema: TSchema, value: unknown, what: string, code: 'EH_CONFIG_INVALID' | 'EH_BUNDLE_MALFORMED'): void {
  const problems = schemaProblems(schema, value);
  if (problems.length > 0) {
    throw new EdgehiveError(code, `${what} is invalid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, { problems });
  }
}

/** Key entries must name their key by its real id, once each; otherwise "distinct keys" means nothing. */
function checkEntries(entries: ReadonlyArray<{ id: string; publicKey: string }>, what: string): void {
  const seen = new Set<string>();
  for (const [i, e] of entries.entries()) {
    const id = keyIdOf(publicKeyOf(e.publicKey, `${what} /keys/${i}/publicKey`));
    if (id !== e.id) throw new EdgehiveError('EH_BUNDLE_MALFORMED', `${what} /keys/${i}: id ${e.id} is not the id of its public key (${id}); rebuild the document with edgehive keys`);
    if (seen.has(id)) throw new EdgehiveError('EH_BUNDLE_MALFORMED', `${what} lists key ${id} twice; a threshold counts distinct keys`);
    seen.add(id);
  }
}

/** Structural checks of a root body that the schema cannot express. */
export function checkRootBody(root: RootBody, what = `root v${root.version}`): void {
  checkSchema(RootBodySchema, root, what, 'EH_BUNDLE_MALFORMED');
  checkEntries(root.keys, what);
  if (root.threshold > root.keys.length) {
    throw new EdgehiveError('EH_BUNDLE_MALFORMED', `${what} needs ${root.threshold} signatures but has only ${root.keys.length} keys, so nothing could ever satisfy it`);
  }
}

function uniqueKeys(keys: readonly Uint8Array[], what: string): Uint8Array[] {
  const ids = new Set<string>();
  return keys.filter((k) => {
    const id = keyIdOf(k);
    if (ids.has(id)) throw new EdgehiveError('EH_CONFIG_INVALID', `${what} lists key ${id} twice; each key counts once towards a threshold`);
    ids.add(id);
    return true;
  });
}

export function makeRoot(i: { fleet: string; version: number; threshold: number; publicKeys: readonly Uint8Array[]; createdMs: number }): RootBody {
  const keys = uniqueKeys(i.publicKeys, `root v${i.version}`);
  if (!Number.isInteger(i.threshold) || i.threshold < 1 || i.threshold > keys.length) {
    throw new EdgehiveError('EH_CONFIG_INVALID', `root threshold must be between 1 and the number of root keys (${keys.length}), got ${i.threshold}`);
  }
  const body: RootBody = {
    type: 'edgehive-root',
    fleet: i.fleet,
    version: i.version,
    threshold: i.threshold,
    keys: keys.map((k) => ({ id: keyIdOf(k), publicKey: toBase64(k) })),
    createdMs: i.createdMs,
  };
  checkSchema(RootBodySchema, body, `root v${i.version}`, 'EH_CONFIG_INVALID');
  return body;
}

function signAll(context: SigningContext, doc: Uint8Array, signers: readonly SigningKey[]): Signature[] {
  const seen = new Set<string>();
  const out: Signature[] = [];
  for (const s of signers) {
    if (seen.has(s.keyId)) continue;
    seen.add(s.keyId);
    out.push(signDocument(context, doc, s));
  }
  return out;
}

export function signRoot(body: RootBody, signers: readonly SigningKey[]): SignedRoot {
  return { body, signatures: signAll('root', canonicalBytes(body), signers) };
}

export function makeKeyList(i: {
  fleet: string; version: number; rootVersion: number; createdMs: number; expiresMs: number;
  keys: ReadonlyArray<{ publicKey: Uint8Array; expiresMs: number }>; revoked?: readonly string[];
}): SigningKeyListBody {
  uniqueKeys(i.keys.map((k) => k.publicKey), `signing-key list v${i.version}`);
  const body: SigningKeyListBody = {
    type: 'edgehive-signing-keys',
    fleet: i.fleet,
    version: i.version,
    rootVersion: i.rootVersion,
    createdMs: i.createdMs,
    expiresMs: i.expiresMs,
    keys: i.keys.map((k) => ({ id: keyIdOf(k.publicKey), publicKey: toBase64(k.publicKey), expiresMs: k.expiresMs })),
    revoked: [...new Set(i.revoked ?? [])],
  };
  checkSchema(SigningKeyListBodySchema, body, `signing-key list v${i.version}`, 'EH_CONFIG_INVALID');
  return body;
}

export function signKeyList(body: SigningKeyListBody, rootSigners: readonly SigningKey[]): SignedKeyList {
  return { body, signatures: signAll('keyList', canonicalBytes(body), rootSigners) };
}

/** Ids of the distinct keys of `signers` whose signature over `doc` verifies. */
export function validSigners(context: SigningContext, doc: Uint8Array, sigs: readonly Signature[], signers: RootBody): Set<string> {
  const byId = new Map(signers.keys.map((k) => [k.id, k.publicKey]));
  const ok = new Set<string>();
  for (const s of sigs) {
    const pk = byId.get(s.keyId);
    if (pk === undefined || ok.has(s.keyId)) continue;
    if (verifyDocument(context, doc, s, publicKeyOf(pk, `root v${signers.version} key ${s.keyId}`))) ok.add(s.keyId);
  }
  return ok;
}

/**
 * Walks the root chain from the root an agent trusts. Roots at or below its version are skipped
 * (an older bundle carries an older chain); each later one must be exactly the next version, of
 * the same fleet, and signed by a threshold of the previous root's keys (so only the old key
 * holders can hand over) and by a threshold of its own keys (so the new set can really sign).
 * A gap in versions is EH_BUNDLE_TRUST_STALE: the agent's root is too old for what the bundle
 * carries, and only a bundle with the full chain can bring it forward.
 */
export function advanceRoot(current: RootBody, chain: readonly SignedRoot[]): RootBody {
  checkRootBody(current, `trusted root v${current.version}`);
  let root = current;
  for (const next of chain) {
    const b = next.body;
    if (b.version <= root.version) continue;
    const what = `root v${b.version}`;
    if (b.version !== root.version + 1) {
      throw new EdgehiveError('EH_BUNDLE_TRUST_STALE', `the trust chain jumps from root v${root.version} to v${b.version}; the bundle must carry every root from v${root.version + 1} on (build it with the hub's full roots/ directory)`, { from: root.version, to: b.version });
    }
    if (b.fleet !== root.fleet) {
      throw new EdgehiveError('EH_BUNDLE_TARGET', `${what} is for fleet ${b.fleet} but the trusted root is for fleet ${root.fleet}; this bundle belongs to another fleet`);
    }
    checkRootBody(b, what);
    const doc = canonicalBytes(b, 'EH_BUNDLE_MALFORMED');
    const byOld = validSigners('root', doc, next.signatures, root);
    if (byOld.size < root.threshold) {
      throw new EdgehiveError('EH_BUNDLE_THRESHOLD', `${what} carries ${byOld.size} valid signature(s) by keys of root v${root.version}, which needs ${root.threshold}; a new root must be signed by a threshold of the old root's keys (edgehive keys rotate-root)`, { rootVersion: b.version, by: root.version, have: byOld.size, need: root.threshold });
    }
    const byOwn = validSigners('root', doc, next.signatures, b);
    if (byOwn.size < b.threshold) {
      throw new EdgehiveError('EH_BUNDLE_THRESHOLD', `${what} carries ${byOwn.size} valid signature(s) by its own keys but its threshold is ${b.threshold}; a new root must also be signed by a threshold of its own keys (edgehive keys rotate-root)`, { rootVersion: b.version, by: b.version, have: byOwn.size, need: b.threshold });
    }
    root = b;
  }
  return root;
}

/**
 * Accepts a signing-key list under `root`: same fleet, signed for this very root version by a
 * threshold of its keys, not older than the newest list already accepted (`minVersion`), and
 * not expired.
 */
export function checkKeyList(root: RootBody, list: SignedKeyList, nowMs: number, minVersion: number): SigningKeyListBody {
  const b = list.body;
  const what = `signing-key list v${b.version}`;
  checkSchema(SigningKeyListBodySchema, b, what, 'EH_BUNDLE_MALFORMED');
  checkEntries(b.keys, what);
  if (b.fleet !== root.fleet) {
    throw new EdgehiveError('EH_BUNDLE_TARGET', `${what} is for fleet ${b.fleet} but the trusted root is for fleet ${root.fleet}; this bundle belongs to another fleet`);
  }
  if (b.rootVersion !== root.version) {
    throw new EdgehiveError('EH_BUNDLE_KEY_UNKNOWN', `${what} was signed for root v${b.rootVersion} but the newest trusted root is v${root.version}; rebuild the bundle with the hub's current keys (edgehive keys rotate-root re-signs the list for the new root)`, { listRootVersion: b.rootVersion, rootVersion: root.version });
  }
  const ok = validSigners('keyList', canonicalBytes(b, 'EH_BUNDLE_MALFORMED'), list.signatures, root);
  if (ok.size < root.threshold) {
    throw new EdgehiveError('EH_BUNDLE_THRESHOLD', `${what} carries ${ok.size} valid signature(s) by keys of root v${root.version}, which needs ${root.threshold}; sign it with a threshold of the root's offline keys`, { have: ok.size, need: root.threshold });
  }
  if (b.version < minVersion) {
    throw new EdgehiveError('EH_BUNDLE_TRUST_STALE', `${what} is older than v${minVersion}, which this device already accepted (it may undo a revocation); rebuild the bundle with the current signing-key list`, { version: b.version, minVersion });
  }
  if (b.expiresMs <= nowMs) {
    throw new EdgehiveError('EH_BUNDLE_KEY_EXPIRED', `${what} expired at ${new Date(b.expiresMs).toISOString()}; issue a new list (edgehive keys new-signing-key) and rebuild the bundle`, { expiresMs: b.expiresMs });
  }
  return b;
}
