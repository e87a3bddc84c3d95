/**
 * What a desired state asks of the agent, decided from the desired state and the slots alone
 * (pure, so every case is a unit test): run nothing, stay, swap back to the other slot, report an
 * old failure again, refuse an impossible request before downloading, or download.
 */
import { CHUNK_BYTES } from '../../shared/bundle/index.ts';
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { DesiredState } from '../../shared/protocol/messages.ts';
import { failureOf, slotHolding, type FailedBundle, type SlotName, type SlotsState } from './slots.ts';

export interface DownloadPlan {
  readonly bundleId: string;
  readonly total: number;
  readonly bytes: number;
  readonly sha256: string;
}

export type DesiredAction =
  | { kind: 'run-nothing' }
  | { kind: 'stay' }
  | { kind: 'failed-before'; failure: FailedBundle }
  /** The bundle is in the other slot and passed its health check here before: no download, no version check. */
  | { kind: 'swap-back'; slot: SlotName }
  /** The bundle is in a slot but never passed its health check here (slots recovered after damage): run its trial. */
  | { kind: 'trial-installed'; slot: SlotName }
  | { kind: 'refuse'; error: EdgehiveError }
  | { kind: 'download'; plan: DownloadPlan };

export function planFor(d: Pick<DesiredState, 'bundleId' | 'bundleChunks' | 'bundleBytes' | 'bundleSha256'>, s: SlotsState, limits: { maxBundleBytes: number; chunkBytes?: number }): DesiredAction {
  const id = d.bundleId ?? '';
  if (id === '') return { kind: 'run-nothing' };
  if (s.active !== null && s.slots[s.active]?.bundleId === id) return { kind: 'stay' };
  const failure = failureOf(s, id);
  if (failure !== null) return { kind: 'failed-before', failure };
  const slot = slotHolding(s, id);
  if (slot !== null && slot !== s.active) return s.slots[slot]!.healthy ? { kind: 'swap-back', slot } : { kind: 'trial-installed', slot };
  const bytes = Number(d.bundleBytes ?? 0);
  const total = d.bundleChunks ?? 0;
  const sha256 = (d.bundleSha256 ?? '').toLowerCase();
  const chunkBytes = limits.chunkBytes ?? CHUNK_BYTES;
  const refuse = (message: string, details: Record<string, unknown>): DesiredAction => ({ kind: 'refuse', error: new EdgehiveError('EH_BUNDLE_CHUNK', message, { bundleId: id, ...details }) });
  if (!Number.isSafeInteger(bytes) || bytes <= 0) return refuse(`desired state names bundle ${id.slice(0, 12)} but gives no size (bundle_bytes ${bytes}); the hub must publish bundle_bytes and bundle_chunks`, { bytes });
  if (bytes > limits.maxBundleBytes) {
    return refuse(`bundle ${id.slice(0, 12)} is ${bytes} bytes, over this device's bundles.maxBundleBytes of ${limits.maxBundleBytes}; deploy a smaller variant or raise the limit`, { bytes, limit: limits.maxBundleBytes });
  }
  const expected = Math.ceil(bytes / chunkBytes);
  if (total !== expected) {
    return refuse(`desired state says bundle ${id.slice(0, 12)} has ${total} chunks, but ${bytes} bytes in ${chunkBytes}-byte chunks make ${expected}${total > expected ? ' (too many chunks)' : ''}; republish the desired state`, { total, expected });
  }
  if (!/^[0-9a-f]{64}$/.test(sha256)) return refuse(`desired state for bundle ${id.slice(0, 12)} carries no valid bundle_sha256; republish the desired state`, {});
  return { kind: 'download', plan: { bundleId: id, total, bytes, sha256 } };
}
