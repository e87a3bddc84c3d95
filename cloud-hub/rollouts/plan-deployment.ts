/**
 * What a deployment request means before anything is stored: which devices (resolved against the
 * device table at creation, sorted) and which bundle each of their profiles gets. Every refusal
 * happens here, up front, naming what is wrong: an empty or unknown target, an unknown model,
 * version or bundle, or a profile the bundle does not fit (with how many devices have it).
 */
import { EdgehiveError, isEdgehiveError } from '../../shared/errors/index.ts';
import type { BundleService } from '../bundles/bundle-api.ts';
import type { BundleRecord, DeploymentRecord } from '../store/rollout-store.ts';
import type { DeviceRecord } from '../store/types.ts';
import type { DeploymentRequest } from './schema.ts';

export interface TargetDevice { id: string; profile: string }

/** The source as stored: exactly one of {model, version} and {bundleId}. */
export function sourceOf(req: DeploymentRequest): DeploymentRecord['source'] {
  const byVersion = req.model !== undefined || req.version !== undefined;
  if (byVersion && req.bundleId !== undefined) {
    throw invalid('give either {model, version} or {bundleId}, not both');
  }
  if (req.bundleId !== undefined) return { bundleId: req.bundleId };
  if (req.model === undefined || req.version === undefined) {
    throw invalid('say what to deploy: {model, version} (a registry version) or {bundleId} (a built or uploaded bundle)');
  }
  return { model: req.model, version: req.version };
}

/** The target's devices: every filter given must hold (group, profile, listed ids); sorted by id. */
export function resolveTarget(all: readonly DeviceRecord[], target: DeploymentRequest['target']): TargetDevice[] {
  if (target.group === undefined && target.profile === undefined && target.devices === undefined) {
    throw invalid('target is empty: give a group, a profile, a list of devices, or several of them (they are combined as an intersection)');
  }
  if (target.devices !== undefined) {
    const known = new Set(all.map((d) => d.id));
    const unknown = target.devices.filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw new EdgehiveError('EH_NOT_FOUND', `target names ${unknown.length} device(s) this hub does not know: ${list(unknown)}; provision them or leave them out`,
        { devices: unknown.slice(0, 20) });
    }
  }
  const listed = target.devices === undefined ? null : new Set(target.devices);
  const picked = all
    .filter((d) => (target.group === undefined || d.group === target.group)
      && (target.profile === undefined || d.profile === target.profile)
      && (listed === null || listed.has(d.id)))
    .map((d) => ({ id: d.id, profile: d.profile }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (picked.length === 0) {
    throw invalid(`no device matches the target ${JSON.stringify(target)}; GET /api/v1/devices lists the devices with their group and profile`);
  }
  return picked;
}

/** The bundle for each profile among the devices; EH_PROFILE_UNFIT names the profile, its device count and the limit. */
export async function resolveBundles(bundles: BundleService, source: DeploymentRecord['source'], devices: readonly TargetDevice[]): Promise<Map<string, BundleRecord>> {
  const counts = new Map<string, number>();
  for (const d of devices) counts.set(d.profile, (counts.get(d.profile) ?? 0) + 1);
  const profiles = [...counts.keys()].sort();
  if ('bundleId' in source) {
    const b = await bundles.get(source.bundleId);
    if (!b) throw new EdgehiveError('EH_NOT_FOUND', `no bundle ${source.bundleId}; GET /api/v1/bundles lists them, or upload it first`, { bundleId: source.bundleId });
    const out = new Map<string, BundleRecord>();
    for (const p of profiles) {
      try {
        bundles.checkFits(b, p);
      } catch (e) {
        throw withCount(e, p, counts);
      }
      out.set(p, b);
    }
    return out;
  }
  let got: Map<string, BundleRecord>;
  try {
    got = await bundles.bundlesForVersion(source.model, source.version, profiles);
  } catch (e) {
    throw withCount(e, undefined, counts);
  }
  const missing = profiles.filter((p) => !got.has(p));
  if (missing.length > 0) {
    throw new EdgehiveError('EH_PROFILE_UNFIT', `${source.model} version ${source.version} has no bundle for profile ${missing[0]} `
      + `(${counts.get(missing[0]!)} target device(s)); leave those devices out of the target`, { profile: missing[0], devices: counts.get(missing[0]!) });
  }
  return got;
}

/** Adds to a profile refusal how many target devices it concerns. */
function withCount(e: unknown, profile: string | undefined, counts: ReadonlyMap<string, number>): unknown {
  if (!isEdgehiveError(e, 'EH_PROFILE_UNFIT')) return e;
  const p = profile ?? (typeof e.details?.profile === 'string' ? e.details.profile : undefined);
  const n = p === undefined ? undefined : counts.get(p);
  const who = p === undefined || n === undefined
    ? `the target has ${[...counts].map(([k, v]) => `${v} device(s) of profile ${k}`).join(', ')}`
    : `${n} target device(s) have profile ${p}`;
  return new EdgehiveError('EH_PROFILE_UNFIT', `refused up front: ${who}: ${e.message}`, { ...(e.details ?? {}), ...(p ? { profile: p } : {}), ...(n ? { devices: n } : {}) }, { cause: e });
}

function list(ids: readonly string[]): string {
  return ids.length <= 5 ? ids.join(', ') : `${ids.slice(0, 5).join(', ')} and ${ids.length - 5} more`;
}

function invalid(message: string): EdgehiveError {
  return new EdgehiveError('EH_DEPLOYMENT_INVALID', message);
}
