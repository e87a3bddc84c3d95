/**
 * Does a bundle of this size fit a device class? Its file must stay under the class's
 * `limits.maxModelBytes`, and two of them (the active and the inactive slot, DESIGN.md "Bundles
 * and trust") must fit its `bundleStorageBytes`. Pure.
 */
import { loadProfile, type DeviceProfile } from '../../device-profiles/index.ts';
import { EdgehiveError } from '../../shared/errors/index.ts';

/** A device profile by id, or null when the hub has no file for it. */
export type ProfileLookup = (id: string) => DeviceProfile | null;

export type BundleFit =
  | { ok: true }
  | { ok: false; limit: 'maxModelBytes' | 'bundleStorageBytes'; message: string };

export function checkProfileFit(profile: DeviceProfile, bytes: number): BundleFit {
  const max = profile.limits.maxModelBytes;
  if (bytes > max) {
    return { ok: false, limit: 'maxModelBytes', message: `${bytes} bytes is over limits.maxModelBytes ${max} of profile ${profile.id}` };
  }
  const slot = Math.floor(profile.bundleStorageBytes / 2);
  if (bytes > slot) {
    return { ok: false, limit: 'bundleStorageBytes', message: `${bytes} bytes is over half of bundleStorageBytes ${profile.bundleStorageBytes} of profile ${profile.id} (the agent keeps two bundle slots)` };
  }
  return { ok: true };
}

/** The shipped profiles (or those in `dir`), each read once; unknown ids give null. */
export function profileLookup(dir?: string): ProfileLookup {
  const cache = new Map<string, DeviceProfile | null>();
  return (id) => {
    if (cache.has(id)) return cache.get(id)!;
    let p: DeviceProfile | null;
    try {
      p = dir === undefined ? loadProfile(id) : loadProfile(id, dir);
    } catch (e) {
      // A missing file means an unknown class; a broken one must not be taken for missing.
      if (!(e instanceof EdgehiveError) || (e.code !== 'EH_NOT_FOUND' && e.code !== 'EH_ID_INVALID')) throw e;
      p = null;
    }
    cache.set(id, p);
    return p;
  };
}
