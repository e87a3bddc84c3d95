/**
 * Device authentication to the broker. Username = device id; password = "<ts>.<base64 sig>",
 * the signature over a domain-separated string of fleet, device and the timestamp. The hub accepts
 * a timestamp within a short window and never the same one twice for a device.
 */
import { EdgehiveError } from '../errors/index.ts';
import { ed25519, fromBase64, toBase64 } from './ed25519.ts';

export const AUTH_WINDOW_MS = 5 * 60_000;

function signedBytes(fleet: string, device: string, tsMs: number): Uint8Array {
  return new TextEncoder().encode(`edgehive-mqtt-auth/v1\n${fleet}\n${device}\n${tsMs}`);
}

export function makeMqttPassword(fleet: string, device: string, seed: Uint8Array, tsMs: number): string {
  return `${tsMs}.${toBase64(ed25519.sign(seed, signedBytes(fleet, device, Math.floor(tsMs))))}`;
}

export interface ParsedPassword { tsMs: number; signature: Uint8Array }

export function parseMqttPassword(password: string): ParsedPassword {
  const m = /^(\d{1,16})\.([A-Za-z0-9+/]{86}==)$/.exec(password);
  if (!m) throw new EdgehiveError('EH_AUTH_MALFORMED', 'MQTT password must be "<epoch ms>.<base64 ed25519 signature>"; is the agent up to date?');
  return { tsMs: Number(m[1]), signature: fromBase64('signature', m[2]!, 64) };
}

/**
 * Throws EH_AUTH_STALE or EH_AUTH_BAD_SIGNATURE. `lastTsMs` is the newest timestamp already
 * accepted for this device (replay guard).
 */
export function verifyMqttPassword(fleet: string, device: string, publicKey: Uint8Array, password: string, nowMs: number, lastTsMs = 0): number {
  const { tsMs, signature } = parseMqttPassword(password);
  if (Math.abs(nowMs - tsMs) > AUTH_WINDOW_MS) {
    throw new EdgehiveError('EH_AUTH_STALE', `device ${device}: auth timestamp is ${Math.round((nowMs - tsMs) / 1000)} s off the hub's clock (window ${AUTH_WINDOW_MS / 1000} s); fix the device clock (NTP)`);
  }
  if (tsMs <= lastTsMs) throw new EdgehiveError('EH_AUTH_STALE', `device ${device}: auth timestamp was already used (replay?)`);
  if (!ed25519.verify(publicKey, signedBytes(fleet, device, tsMs), signature)) {
    throw new EdgehiveError('EH_AUTH_BAD_SIGNATURE', `device ${device}: signature does not match the public key registered at provisioning`);
  }
  return tsMs;
}
