/**
 * The hub's key material in one directory D:
 *
 *   D/signing-key.json      the online signing key (private, mode 0600)
 *   D/signing-keys.json     the signed signing-key list (public)
 *   D/roots/root-<n>.json   every signed root, v1 onwards (public; bundles carry them all)
 *   D/offline-root/         the root private keys; in production these live offline and only
 *                           `edgehive keys` touches them (v<n>/ holds retired root sets)
 *
 * File I/O only; what the files must contain is trust.ts's business.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Static, TSchema } from '@sinclair/typebox';
import { readKeyFile, writeKeyFile } from '../crypto/key-file.ts';
import { EdgehiveError } from '../errors/index.ts';
import { parseWithSchema } from '../config/validate.ts';
import { SignedKeyListSchema, SignedRootSchema, type RootBody, type SignedKeyList, type SignedRoot } from './schema.ts';
import { signingKeyFromSeed, type SigningKey } from './signing-key.ts';
import { advanceRoot, checkKeyList } from './trust.ts';
import { checkSigner } from './build.ts';

export interface HubTrust { signer: SigningKey; roots: SignedRoot[]; keys: SignedKeyList }

export const keyPaths = (dir: string) => ({
  signingKey: join(dir, 'signing-key.json'),
  keyList: join(dir, 'signing-keys.json'),
  roots: join(dir, 'roots'),
  root: (n: number) => join(dir, 'roots', `root-${n}.json`),
  offline: join(dir, 'offline-root'),
});

/** Public documents: written whole through a temp file and rename, so readers never see half of one. */
export function writePublicJson(path: string, doc: unknown): void {
  mkdirSync(join(path, '..'), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(doc, null, 2) + '\n', { mode: 0o644 });
  renameSync(tmp, path);
}

function readJson<S extends TSchema>(schema: S, path: string, what: string, creates: string): Static<S> {
  if (!existsSync(path)) throw new EdgehiveError('EH_NOT_FOUND', `${what} ${path} does not exist; create it with ${creates}`, { path });
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new EdgehiveError('EH_CONFIG_INVALID', `${what} ${path} is not readable JSON (${(e as Error).message}); restore it from a backup or recreate it with ${creates}`, { path });
  }
  return parseWithSchema(schema, doc, `${what} ${path}`);
}

/** Every root in D/roots, in version order; the versions must run 1, 2, … without a gap. */
export function readRoots(dir: string): SignedRoot[] {
  const p = keyPaths(dir);
  const creates = `edgehive keys init-root --dir ${dir} --fleet FLEET`;
  const files = existsSync(p.roots) ? readdirSync(p.roots).filter((f) => /^root-[0-9]+\.json$/.test(f)) : [];
  const versions = files.map((f) => Number(f.slice(5, -5))).sort((a, b) => a - b);
  if (versions.length === 0) throw new EdgehiveError('EH_NOT_FOUND', `no root in ${p.roots}; create one with ${creates}`, { path: p.roots });
  return versions.map((n, i) => {
    if (n !== i + 1) throw new EdgehiveError('EH_CONFIG_INVALID', `${p.roots} has no root-${i + 1}.json; the roots must run from 1 without a gap, restore the missing file`);
    const r = readJson(SignedRootSchema, p.root(n), 'root', creates);
    if (r.body.version !== n) throw new EdgehiveError('EH_CONFIG_INVALID', `${p.root(n)} holds root v${r.body.version}; restore the right file`);
    return r;
  });
}

export function readKeyList(dir: string): SignedKeyList {
  return readJson(SignedKeyListSchema, keyPaths(dir).keyList, 'signing-key list', `edgehive keys new-signing-key --dir ${dir}`);
}

export function readSigningKey(dir: string): SigningKey {
  const path = keyPaths(dir).signingKey;
  if (!existsSync(path)) throw new EdgehiveError('EH_NOT_FOUND', `signing key ${path} does not exist; create it with edgehive keys new-signing-key --dir ${dir}`, { path });
  return signingKeyFromSeed(readKeyFile(path).seed);
}

export function writeSigningKey(dir: string, key: SigningKey): void {
  writeKeyFile(keyPaths(dir).signingKey, { seed: key.seed, publicKey: key.publicKey });
}

const OFFLINE_KEY = /^root-key-[0-9a-f]{16}\.json$/;

/** The private root keys at the top of D/offline-root (the current set and any not yet retired). */
export function readOfflineKeys(dir: string): SigningKey[] {
  const p = keyPaths(dir).offline;
  if (!existsSync(p)) return [];
  return readdirSync(p).filter((f) => OFFLINE_KEY.test(f)).sort().map((f) => signingKeyFromSeed(readKeyFile(join(p, f)).seed));
}

export function writeOfflineKey(dir: string, key: SigningKey, sub?: string): void {
  const p = sub === undefined ? keyPaths(dir).offline : join(keyPaths(dir).offline, sub);
  writeKeyFile(join(p, `root-key-${key.keyId}.json`), { seed: key.seed, publicKey: key.publicKey });
}

/** Moves the given root keys' files into D/offline-root/<sub>/, out of the current set. */
export function retireOfflineKeys(dir: string, keyIds: readonly string[], sub: string): void {
  const p = keyPaths(dir).offline;
  mkdirSync(join(p, sub), { recursive: true, mode: 0o700 });
  for (const id of keyIds) {
    const f = `root-key-${id}.json`;
    if (existsSync(join(p, f))) renameSync(join(p, f), join(p, sub, f));
  }
}

export const OFFLINE_README = `These are the fleet's ROOT PRIVATE KEYS.

Whoever holds a threshold of them can make every device of the fleet trust any key. In
production they belong offline (an air-gapped machine, hardware tokens, or a safe), never on
the hub: the hub only needs signing-key.json, signing-keys.json and roots/. Bring them back
only to run "edgehive keys new-signing-key", "revoke" or "rotate-root".

Files named root-key-<id>.json are the current root set; v<n>/ holds the retired set of root v<n>.
`;

export function writeOfflineReadme(dir: string): void {
  const p = keyPaths(dir).offline;
  mkdirSync(p, { recursive: true, mode: 0o700 });
  writeFileSync(join(p, 'README.txt'), OFFLINE_README);
}

/** The newest root body: what devices are provisioned with. */
export function rootOf(trust: Pick<HubTrust, 'roots'>): RootBody {
  const last = trust.roots[trust.roots.length - 1];
  if (!last) throw new EdgehiveError('EH_NOT_FOUND', 'the hub has no root; create one with edgehive keys init-root');
  return last.body;
}

/**
 * Loads what the hub signs with and checks it as an agent would: the root chain holds, the list
 * is signed by the newest root and unexpired, and the signing key is listed, unrevoked and unexpired.
 */
export function loadHubTrust(dir: string, nowMs: number): HubTrust {
  const roots = readRoots(dir);
  const keys = readKeyList(dir);
  const signer = readSigningKey(dir);
  const root = advanceRoot(roots[0]!.body, roots);
  checkKeyList(root, keys, nowMs, 0);
  checkSigner(signer, keys, nowMs);
  return { signer, roots, keys };
}
