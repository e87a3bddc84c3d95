/** Content hashes and key ids. */
import { createHash } from 'node:crypto';

export function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A key's id: the first 16 hex digits of sha256(raw public key). Short enough to read, long enough not to collide in a fleet. */
export function keyIdOf(publicKey: Uint8Array): string {
  return sha256Hex(publicKey).slice(0, 16);
}

/** A key id or hash shortened for messages: "0a1b2c3d…". */
export function shortId(id: string): string {
  return `${id.slice(0, 8)}…`;
}
