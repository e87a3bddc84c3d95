/**
 * Identity key files: a JSON document with the base64 seed and public key, written with mode
 * 0600 through a temp file and rename so a crash never leaves half a key.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { EdgehiveError } from '../errors/index.ts';
import { ed25519, fromBase64, generateKeyPair, toBase64, type KeyPair } from './ed25519.ts';

export function writeKeyFile(path: string, kp: KeyPair): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify({ kind: 'ed25519', seed: toBase64(kp.seed), publicKey: toBase64(kp.publicKey) }) + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

export function readKeyFile(path: string): KeyPair {
  let doc: { seed?: string; publicKey?: string };
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new EdgehiveError('EH_KEY_INVALID', `key file ${path} is not readable JSON: ${(e as Error).message}`);
  }
  const seed = fromBase64(`seed in ${path}`, doc.seed ?? '', 32);
  const publicKey = ed25519.publicKeyFromSeed(seed);
  if (doc.publicKey && doc.publicKey !== toBase64(publicKey)) throw new EdgehiveError('EH_KEY_INVALID', `key file ${path}: public key does not belong to the seed`);
  if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
    throw new EdgehiveError('EH_KEY_INVALID', `key file ${path} is readable by others; run chmod 600 ${path}`);
  }
  return { seed, publicKey };
}

/** Loads the key at `path`, creating it on first start. */
export function loadOrCreateKeyFile(path: string): { keys: KeyPair; created: boolean } {
  if (existsSync(path)) return { keys: readKeyFile(path), created: false };
  const keys = generateKeyPair();
  writeKeyFile(path, keys);
  return { keys, created: true };
}
