/**
 * ed25519 keys as the bundle code uses them, and signatures with a domain-separation prefix
 * (SIGNING_CONTEXT) so a signature over one kind of document never verifies as another.
 */
import { inspect } from 'node:util';
import { ed25519, fromBase64, generateKeyPair, toBase64 } from '../crypto/ed25519.ts';
import { EdgehiveError } from '../errors/index.ts';
import { keyIdOf } from './hash.ts';
import { SIGNING_CONTEXT, type Signature } from './schema.ts';

export interface SigningKey { seed: Uint8Array; publicKey: Uint8Array; keyId: string }

export type SigningContext = keyof typeof SIGNING_CONTEXT;

/**
 * A SigningKey prints and serialises as its public part only (non-enumerable toJSON and inspect
 * hooks), so logging one by mistake, or a trust object holding one, never leaks the seed.
 */
export function signingKeyFromSeed(seed: Uint8Array): SigningKey {
  const publicKey = ed25519.publicKeyFromSeed(seed);
  const key: SigningKey = { seed, publicKey, keyId: keyIdOf(publicKey) };
  const shown = () => ({ keyId: key.keyId, publicKey: toBase64(publicKey), seed: '[redacted]' });
  Object.defineProperty(key, 'toJSON', { value: shown, enumerable: false });
  Object.defineProperty(key, inspect.custom, { value: () => `SigningKey ${inspect(shown())}`, enumerable: false });
  return key;
}

export function generateSigningKey(): SigningKey {
  return signingKeyFromSeed(generateKeyPair().seed);
}

const utf8 = new TextEncoder();
const PREFIXES: Record<SigningContext, Uint8Array> = {
  manifest: utf8.encode(SIGNING_CONTEXT.manifest),
  root: utf8.encode(SIGNING_CONTEXT.root),
  keyList: utf8.encode(SIGNING_CONTEXT.keyList),
};

/** The exact bytes a signature of `context` covers: the prefix, then the document's bytes. */
export function signedMessage(context: SigningContext, doc: Uint8Array): Uint8Array {
  const prefix = PREFIXES[context];
  const msg = new Uint8Array(prefix.length + doc.length);
  msg.set(prefix, 0);
  msg.set(doc, prefix.length);
  return msg;
}

export function signDocument(context: SigningContext, doc: Uint8Array, key: SigningKey): Signature {
  return { keyId: key.keyId, sig: toBase64(ed25519.sign(key.seed, signedMessage(context, doc))) };
}

/** Whether `sig` is a valid signature of `context` over `doc` by `publicKey`. Never throws on bad input. */
export function verifyDocument(context: SigningContext, doc: Uint8Array, sig: Signature, publicKey: Uint8Array): boolean {
  let raw: Uint8Array;
  try {
    raw = fromBase64('signature', sig.sig, 64);
  } catch {
    return false;
  }
  return ed25519.verify(publicKey, signedMessage(context, doc), raw);
}

/** A public key from its base64 form in a trust document; EH_BUNDLE_MALFORMED when it is not 32 bytes. */
export function publicKeyOf(b64: string, where: string): Uint8Array {
  try {
    return fromBase64(where, b64, 32);
  } catch (e) {
    throw new EdgehiveError('EH_BUNDLE_MALFORMED', `${where}: ${(e as Error).message}`);
  }
}
