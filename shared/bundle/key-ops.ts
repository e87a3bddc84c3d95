/**
 * What `edgehive keys` does to a key directory (key-dir.ts): create a root, issue or revoke
 * signing keys, rotate the root. Each operation writes the new public document before it
 * retires anything, so a crash half way leaves a directory the hub can still load.
 */
import { existsSync } from 'node:fs';
import { EdgehiveError } from '../errors/index.ts';
import { fromBase64 } from '../crypto/ed25519.ts';
import type { RootBody, SignedKeyList, SigningKeyListBody } from './schema.ts';
import { generateSigningKey, type SigningKey } from './signing-key.ts';
import { advanceRoot, makeKeyList, makeRoot, signKeyList, signRoot } from './trust.ts';
import {
  keyPaths, loadHubTrust, readKeyList, readOfflineKeys, readRoots, readSigningKey, retireOfflineKeys, writeOfflineKey,
  writeOfflineReadme, writePublicJson, writeSigningKey, type HubTrust,
} from './key-dir.ts';

export const DAY_MS = 86_400_000;

function newestRoot(dir: string): RootBody {
  const roots = readRoots(dir);
  return advanceRoot(roots[0]!.body, roots);
}

/** A threshold of `root`'s private keys from D/offline-root, or EH_BUNDLE_THRESHOLD saying how many are missing. */
function rootSigners(dir: string, root: RootBody): SigningKey[] {
  const ids = new Set(root.keys.map((k) => k.id));
  const found = readOfflineKeys(dir).filter((k) => ids.has(k.keyId));
  if (found.length < root.threshold) {
    throw new EdgehiveError('EH_BUNDLE_THRESHOLD', `found ${found.length} of root v${root.version}'s private keys in ${keyPaths(dir).offline}, but signing needs ${root.threshold}; bring a threshold of the offline root keys back into that directory`, { found: found.length, need: root.threshold });
  }
  return found.slice(0, root.threshold);
}

export interface InitRootOptions { fleet: string; keys?: number; threshold?: number; nowMs: number }

export function initRoot(dir: string, o: InitRootOptions): RootBody {
  if (existsSync(keyPaths(dir).root(1))) {
    throw new EdgehiveError('EH_CONFLICT', `${keyPaths(dir).root(1)} already exists; use edgehive keys rotate-root --dir ${dir} to replace the root keys`);
  }
  const n = o.keys ?? 3;
  if (!Number.isInteger(n) || n < 1 || n > 32) throw new EdgehiveError('EH_CONFIG_INVALID', `--keys must be an integer from 1 to 32, got ${n}`);
  const keys = Array.from({ length: n }, () => generateSigningKey());
  const body = makeRoot({ fleet: o.fleet, version: 1, threshold: o.threshold ?? Math.min(2, n), publicKeys: keys.map((k) => k.publicKey), createdMs: o.nowMs });
  writeOfflineReadme(dir);
  for (const k of keys) writeOfflineKey(dir, k);
  writePublicJson(keyPaths(dir).root(1), signRoot(body, keys));
  return body;
}

/** The list expires with its last key: after that it lists nothing usable anyway. */
function listExpiry(keys: SigningKeyListBody['keys'], fallback: number): number {
  return keys.reduce((m, k) => Math.max(m, k.expiresMs), fallback);
}

function reissue(dir: string, root: RootBody, prev: SigningKeyListBody | undefined, keys: SigningKeyListBody['keys'], revoked: readonly string[], nowMs: number): SignedKeyList {
  const body = makeKeyList({
    fleet: root.fleet,
    version: (prev?.version ?? 0) + 1,
    rootVersion: root.version,
    createdMs: nowMs,
    expiresMs: listExpiry(keys, prev?.expiresMs ?? nowMs),
    keys: keys.map((k) => ({ publicKey: fromBase64(`key ${k.id}`, k.publicKey, 32), expiresMs: k.expiresMs })),
    revoked,
  });
  const signed = signKeyList(body, rootSigners(dir, root));
  writePublicJson(keyPaths(dir).keyList, signed);
  return signed;
}

const currentList = (dir: string): SigningKeyListBody | undefined => (existsSync(keyPaths(dir).keyList) ? readKeyList(dir).body : undefined);

export interface NewSigningKeyOptions { nowMs: number; expiresDays?: number; replace?: boolean }

/** A new online signing key and the next list version naming it; unexpired earlier keys stay unless `replace`. */
export function newSigningKey(dir: string, o: NewSigningKeyOptions): { keyId: string; list: SignedKeyList } {
  const days = o.expiresDays ?? 90;
  if (!(days > 0)) throw new EdgehiveError('EH_CONFIG_INVALID', `--expires-days must be above 0, got ${days}`);
  const root = newestRoot(dir);
  const prev = currentList(dir);
  const key = generateSigningKey();
  const kept = o.replace ? [] : (prev?.keys ?? []).filter((k) => k.expiresMs > o.nowMs);
  const entry = { id: key.keyId, publicKey: Buffer.from(key.publicKey).toString('base64'), expiresMs: Math.round(o.nowMs + days * DAY_MS) };
  const list = reissue(dir, root, prev, [...kept, entry], prev?.revoked ?? [], o.nowMs);
  // The list goes first: if we stop here the old key is still listed and the hub keeps working.
  writeSigningKey(dir, key);
  return { keyId: key.keyId, list };
}

export function revokeKey(dir: string, keyId: string, nowMs: number): { list: SignedKeyList; wasListed: boolean; wasSigningKey: boolean } {
  if (!/^[0-9a-f]{16}$/.test(keyId)) throw new EdgehiveError('EH_CONFIG_INVALID', `--key-id must be 16 hex digits (see edgehive keys show), got ${JSON.stringify(keyId)}`);
  const root = newestRoot(dir);
  const prev = readKeyList(dir).body;
  const wasListed = prev.keys.some((k) => k.id === keyId);
  const list = reissue(dir, root, prev, prev.keys.filter((k) => k.id !== keyId), [...prev.revoked, keyId], nowMs);
  const wasSigningKey = existsSync(keyPaths(dir).signingKey) && readSigningKey(dir).keyId === keyId;
  return { list, wasListed, wasSigningKey };
}

export interface RotateRootOptions { nowMs: number; keys?: number; threshold?: number }

/**
 * Root v(n+1): signed by a threshold of v(n)'s keys and by its own. The current signing-key list
 * is re-signed by the new root (rootVersion n+1, next version), because agents only accept a
 * list signed by the newest root they know. v(n)'s private keys move to offline-root/v<n>/.
 */
export function rotateRoot(dir: string, o: RotateRootOptions): { root: RootBody; list: SignedKeyList | undefined } {
  const old = newestRoot(dir);
  const oldSigners = rootSigners(dir, old);
  const n = o.keys ?? old.keys.length;
  if (!Number.isInteger(n) || n < 1 || n > 32) throw new EdgehiveError('EH_CONFIG_INVALID', `--keys must be an integer from 1 to 32, got ${n}`);
  const fresh = Array.from({ length: n }, () => generateSigningKey());
  const body = makeRoot({ fleet: old.fleet, version: old.version + 1, threshold: o.threshold ?? Math.min(old.threshold, n), publicKeys: fresh.map((k) => k.publicKey), createdMs: o.nowMs });
  for (const k of fresh) writeOfflineKey(dir, k);
  writePublicJson(keyPaths(dir).root(body.version), signRoot(body, [...oldSigners, ...fresh]));
  const prev = currentList(dir);
  const list = prev ? reissue(dir, body, prev, prev.keys, prev.revoked, o.nowMs) : undefined;
  retireOfflineKeys(dir, old.keys.map((k) => k.id), `v${old.version}`);
  return { root: body, list };
}

export interface KeysSummary {
  fleet: string;
  roots: Array<{ version: number; threshold: number; keys: string[]; createdMs: number; signatures: number }>;
  list: { version: number; rootVersion: number; expiresMs: number; keys: Array<{ id: string; expiresMs: number }>; revoked: string[] } | undefined;
  signingKey: string | undefined;
  offlineKeys: number;
}

/** Public facts only: ids, versions, expiries. */
export function summariseKeys(dir: string): KeysSummary {
  const roots = readRoots(dir);
  const list = currentList(dir);
  return {
    fleet: roots[roots.length - 1]!.body.fleet,
    roots: roots.map((r) => ({ version: r.body.version, threshold: r.body.threshold, keys: r.body.keys.map((k) => k.id), createdMs: r.body.createdMs, signatures: r.signatures.length })),
    list: list && { version: list.version, rootVersion: list.rootVersion, expiresMs: list.expiresMs, keys: list.keys.map((k) => ({ id: k.id, expiresMs: k.expiresMs })), revoked: [...list.revoked] },
    signingKey: existsSync(keyPaths(dir).signingKey) ? readSigningKey(dir).keyId : undefined,
    offlineKeys: readOfflineKeys(dir).length,
  };
}

/**
 * Key material for development and the demo: a 2-of-3 root and a signing key valid 365 days,
 * created on first use and loaded afterwards. Production keys come from `edgehive keys`.
 */
export function initDevTrust(dir: string, fleet: string, nowMs: number): HubTrust {
  if (!existsSync(keyPaths(dir).root(1))) initRoot(dir, { fleet, keys: 3, threshold: 2, nowMs });
  const root = newestRoot(dir);
  if (root.fleet !== fleet) {
    throw new EdgehiveError('EH_CONFIG_INVALID', `keys in ${dir} are for fleet ${root.fleet}, not ${fleet}; use another key directory or the fleet ${root.fleet}`);
  }
  if (!existsSync(keyPaths(dir).keyList) || !existsSync(keyPaths(dir).signingKey)) newSigningKey(dir, { nowMs, expiresDays: 365 });
  return loadHubTrust(dir, nowMs);
}
