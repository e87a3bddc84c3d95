/**
 * Provisioning: registers a device's id, group, profile and ed25519 public key, and returns the
 * part of the agent's config that tells it how to reach this hub and which root of trust to check
 * bundles against (the root's public keys only). Idempotent for the same key; another key under
 * the same id is a conflict.
 */
import type { RootBody } from '../../shared/bundle/schema.ts';
import { fromBase64 } from '../../shared/crypto/ed25519.ts';
import { EdgehiveError } from '../../shared/errors/index.ts';
import { isValidId } from '../../shared/ids.ts';
import type { Clock } from '../../shared/time/clock.ts';
import type { ProvisionInput, ProvisionResult } from '../hub-api.ts';
import type { Store } from '../store/types.ts';
import type { DeviceCache } from './device-cache.ts';

export interface ProvisionContext {
  store: Store;
  devices: DeviceCache;
  clock: Clock;
  fleet: string;
  /** The broker URL agents are told to use. */
  mqttUrl: string;
  /**
   * The fleet's newest root, read at each provisioning so a rotated root reaches new devices.
   * Absent only where a hub part runs without bundle trust (API-only tests); such a device
   * refuses every bundle.
   */
  root?: () => RootBody;
}

export interface ProvisionOutcome { result: ProvisionResult; created: boolean }

function checkId(field: string, v: unknown): string {
  if (!isValidId(v)) throw new EdgehiveError('EH_BAD_REQUEST', `${field} ${JSON.stringify(v)} is not valid: use 1-64 characters from A-Z a-z 0-9 _ -`, { field });
  return v;
}

export async function provisionDevice(ctx: ProvisionContext, input: ProvisionInput, actor = 'system'): Promise<ProvisionOutcome> {
  const id = checkId('id', input.id);
  const group = checkId('group', input.group ?? 'default');
  const profile = checkId('profile', input.profile);
  let publicKey: Uint8Array;
  try {
    publicKey = fromBase64('publicKey', input.publicKey, 32);
  } catch (e) {
    throw new EdgehiveError('EH_BAD_REQUEST', `publicKey must be the base64 of a raw 32-byte ed25519 public key: ${(e as Error).message}`, { field: 'publicKey' });
  }
  const before = await ctx.store.getDevice(id);
  const device = await ctx.store.createDevice({ id, group, profile, publicKey, createdAtMs: ctx.clock.now() });
  ctx.devices.put(device);
  const created = before === null;
  if (created) {
    await ctx.store.appendAudit({ atMs: ctx.clock.now(), actor, action: 'device.provision', target: id, details: { group, profile } });
  }
  return {
    created,
    result: {
      device,
      agentConfig: {
        fleet: ctx.fleet, deviceId: id, group: device.group, profile: device.profile, hub: { mqttUrl: ctx.mqttUrl, rejectUnauthorized: true },
        ...(ctx.root ? { bundles: { root: ctx.root() } } : {}),
      },
    },
  };
}
