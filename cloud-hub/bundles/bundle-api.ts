/**
 * The hub's bundle side as the rollout engine and the API see it: signed bundles built from
 * registry versions (or uploaded), published over MQTT as retained chunks, and each device's
 * retained desired state. Implemented in this folder (bundle-service.ts, publisher.ts).
 */
import type { SignedKeyList, SignedRoot } from '../../shared/bundle/schema.ts';
import type { BundleRecord, ReportedRecord } from '../store/rollout-store.ts';

export interface BundleService {
  /**
   * The signed bundles of a registry model version for the given profiles: one per variant the
   * version's plan picks, each targeting the profiles that get it; built once and reused.
   * Throws EH_PROFILE_UNFIT naming the profile and the limit that failed (from the plan, or the
   * bundle's size against the profile's maxModelBytes / bundleStorageBytes), EH_NOT_FOUND for an
   * unknown model or version, EH_STATE for a version that is not ready.
   */
  bundlesForVersion(model: string, version: number, profiles: readonly string[]): Promise<Map<string, BundleRecord>>;
  /**
   * Checks a bundle built elsewhere against the hub's own trust chain (signature, keys, expiry,
   * hashes) and keeps it. Throws the verifier's EH_BUNDLE_* refusal.
   */
  upload(bytes: Uint8Array, actor: string): Promise<BundleRecord>;
  /** Refuses (EH_PROFILE_UNFIT) a bundle that does not target `profile` or does not fit it. */
  checkFits(bundle: BundleRecord, profile: string): void;
  get(id: string): Promise<BundleRecord | null>;
  read(id: string): Promise<Uint8Array>;
  /** Public trust material: what `GET /api/v1/keys` shows and devices are provisioned with. */
  trust(): { roots: SignedRoot[]; keys: SignedKeyList };
}

export interface DesiredPublisher {
  /**
   * Stores the device's desired state and publishes it retained on d/{device}/desired, after
   * making sure the bundle's chunks are published retained (once per bundle per hub process).
   * `bundle` null asks the device to run no bundle. `shadow` names a challenger to run in shadow
   * beside `bundle` (its chunks published the same way); left out or null, the state has none, so
   * a deployment setting a device's bundle also ends any shadow on it.
   */
  setDesired(device: string, bundle: BundleRecord | null, deploymentId: string | null, shadow?: BundleRecord | null): Promise<void>;
  /** Clears (empty retained payload) the chunks of bundles no device's desired state names as bundle or shadow. Returns their ids. */
  collectGarbage(): Promise<string[]>;
  /** Republishes every stored desired state and the chunks they need (hub start: the embedded broker keeps no retained messages across restarts). */
  republishAll(): Promise<void>;
  /** Bytes of chunk payloads published so far (for bench:fanout). */
  readonly chunkBytesPublished: number;
}

/** Reported states as the ingest decodes and stores them, for whoever decides on them. */
export interface ReportedFeed {
  onReported(listener: (r: ReportedRecord) => void): () => void;
}
