/**
 * A challenger is verified with every rule a bundle to install meets (signature chain, keys,
 * expiry, fleet, profile, agent version, version above the highest seen, artefact hashes), but the
 * trust state verification returns is thrown away: raising the highest-seen version for a
 * challenger would make its own promotion later look like a replay. Pure.
 */
import { verifyBundle, type TrustState, type VerifiedBundle, type VerifyContext } from '../../shared/bundle/index.ts';
import { EdgehiveError } from '../../shared/errors/index.ts';

export interface ChampionInfo { readonly bundleId: string; readonly model: string; readonly version: number }

export function verifyChallenger(bytes: Uint8Array, bundleId: string, trust: TrustState, ctx: VerifyContext, champion: ChampionInfo | null): VerifiedBundle {
  const v = verifyBundle(bytes, trust, ctx);
  if (v.id !== bundleId) {
    throw new EdgehiveError('EH_BUNDLE_HASH', `the challenger's manifest hashes to ${v.id.slice(0, 12)}, not to the shadow_bundle_id ${bundleId.slice(0, 12)} the desired state names; the hub published mismatched bundle and desired state`);
  }
  const m = v.manifest;
  // Already implied by the highest-seen rule (it is at least the champion's); said explicitly so
  // the refusal names the champion when a rollout put an older model in shadow.
  if (champion !== null && champion.model === m.model && m.version <= champion.version) {
    throw new EdgehiveError('EH_BUNDLE_REPLAY', `challenger ${m.model} v${m.version} is not above the champion v${champion.version}; a shadow must be a newer version of the model`, { version: m.version, champion: champion.version });
  }
  return v;
}
