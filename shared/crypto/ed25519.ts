/**
 * ed25519 behind one module. node:crypto is the fast path (about 100x tweetnacl, which matters
 * when a thousand devices reconnect at once); tweetnacl serves runtimes without it. Keys cross
 * this boundary as raw bytes: 32-byte seed (private), 32-byte public key, 64-byte signature.
 */
import { createPrivateKey, createPublicKey, randomBytes, sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import type NaclModule from 'tweetnacl';
import { EdgehiveError } from '../errors/index.ts';

// tweetnacl is loaded on first use only: with node:crypto it is never needed, and an agent on a
// small device should not carry it (about 3 MB resident).
let naclModule: typeof NaclModule | null = null;
const nacl = (): typeof NaclModule => (naclModule ??= createRequire(import.meta.url)('tweetnacl') as typeof NaclModule);

// DER prefixes of PKCS#8 / SPKI for ed25519 (RFC 8410), so raw keys become KeyObjects.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export interface Ed25519Backend {
  readonly name: 'node' | 'tweetnacl';
  publicKeyFromSeed(seed: Uint8Array): Uint8Array;
  sign(seed: Uint8Array, message: Uint8Array): Uint8Array;
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
}

function checkLen(what: string, b: Uint8Array, n: number): void {
  if (!(b instanceof Uint8Array) || b.length !== n) throw new EdgehiveError('EH_KEY_INVALID', `${what} must be ${n} bytes, got ${b?.length ?? typeof b}`);
}

const privCache = new Map<string, KeyObject>();
const pubCache = new Map<string, KeyObject>();
const CACHE_MAX = 4096;

function cached(cache: Map<string, KeyObject>, key: Uint8Array, make: () => KeyObject): KeyObject {
  const k = Buffer.from(key).toString('base64');
  let v = cache.get(k);
  if (!v) {
    v = make();
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(k, v);
  }
  return v;
}

const nodePriv = (seed: Uint8Array) => cached(privCache, seed, () => createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' }));
const nodePub = (pk: Uint8Array) => cached(pubCache, pk, () => createPublicKey({ key: Buffer.concat([SPKI_PREFIX, pk]), format: 'der', type: 'spki' }));

export const nodeBackend: Ed25519Backend = {
  name: 'node',
  publicKeyFromSeed(seed) {
    checkLen('private key seed', seed, 32);
    const der = createPublicKey(nodePriv(seed)).export({ format: 'der', type: 'spki' });
    return new Uint8Array(der.subarray(der.length - 32));
  },
  sign(seed, message) {
    checkLen('private key seed', seed, 32);
    return new Uint8Array(nodeSign(null, message, nodePriv(seed)));
  },
  verify(publicKey, message, signature) {
    if (publicKey?.length !== 32 || signature?.length !== 64) return false;
    try {
      return nodeVerify(null, message, nodePub(publicKey), signature);
    } catch {
      return false; // a malformed public key point: not a valid signature, by definition
    }
  },
};

export const tweetnaclBackend: Ed25519Backend = {
  name: 'tweetnacl',
  publicKeyFromSeed(seed) {
    checkLen('private key seed', seed, 32);
    return nacl().sign.keyPair.fromSeed(seed).publicKey;
  },
  sign(seed, message) {
    checkLen('private key seed', seed, 32);
    const n = nacl();
    return n.sign.detached(message, n.sign.keyPair.fromSeed(seed).secretKey);
  },
  verify(publicKey, message, signature) {
    if (publicKey?.length !== 32 || signature?.length !== 64) return false;
    return nacl().sign.detached.verify(message, signature, publicKey);
  },
};

function pickBackend(): Ed25519Backend {
  try {
    const seed = new Uint8Array(32);
    nodeBackend.verify(nodeBackend.publicKeyFromSeed(seed), seed, nodeBackend.sign(seed, seed));
    return nodeBackend;
  } catch {
    return tweetnaclBackend;
  }
}

export const ed25519: Ed25519Backend = pickBackend();

export interface KeyPair { seed: Uint8Array; publicKey: Uint8Array }

export function generateKeyPair(): KeyPair {
  const seed = new Uint8Array(randomBytes(32));
  return { seed, publicKey: ed25519.publicKeyFromSeed(seed) };
}

export const toBase64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');

export function fromBase64(what: string, s: string, expectedLen?: number): Uint8Array {
  if (typeof s !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(s)) throw new EdgehiveError('EH_KEY_INVALID', `${what} is not base64`);
  const b = new Uint8Array(Buffer.from(s, 'base64'));
  if (expectedLen !== undefined && b.length !== expectedLen) throw new EdgehiveError('EH_KEY_INVALID', `${what} must decode to ${expectedLen} bytes, got ${b.length}`);
  return b;
}
