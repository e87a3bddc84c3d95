/** What the API routes need from the rest of the hub. */
import type { Logger } from '../../shared/log/logger.ts';
import type { Clock } from '../../shared/time/clock.ts';
import type { BundleService } from '../bundles/bundle-api.ts';
import type { ProvisionOutcome } from '../devices/provision.ts';
import type { DriftPolicyManager } from '../drift/policy-manager.ts';
import type { ProvisionInput } from '../hub-api.ts';
import type { JobManager } from '../jobs/job-manager.ts';
import type { HubMetrics } from '../metrics/hub-metrics.ts';
import type { ModelRegistry } from '../registry/registry.ts';
import type { RolloutManager } from '../rollouts/rollout-manager.ts';
import type { ShadowManager } from '../shadow/shadow-manager.ts';
import type { RolloutStore } from '../store/rollout-store.ts';
import type { DeviceRecord, Store } from '../store/types.ts';
import { toBase64 } from '../../shared/crypto/ed25519.ts';

export interface ApiContext {
  store: Store;
  metrics: HubMetrics;
  clock: Clock;
  logger: Logger;
  provision(input: ProvisionInput, actor: string): Promise<ProvisionOutcome>;
  /** True when the broker (embedded) is listening or the external one is connected. */
  brokerHealthy(): boolean;
  /** The model registry and training jobs; their routes exist only when given. */
  models?: { registry: ModelRegistry; jobs: JobManager };
  /** Bundles and keys; their routes exist only when given. */
  bundles?: { service: BundleService; rollouts: RolloutStore; maxUploadBytes: number };
  /** Deployments in waves; their routes exist only when given. */
  deployments?: RolloutManager;
  /** Drift policies per model; their routes exist only when given. */
  driftPolicy?: DriftPolicyManager;
  /** Shadow evaluations of challengers; their routes exist only when given. */
  shadow?: ShadowManager;
}

/** A device as JSON: the public key as base64. */
export function deviceJson(d: DeviceRecord): Omit<DeviceRecord, 'publicKey'> & { publicKey: string } {
  return { ...d, publicKey: toBase64(d.publicKey) };
}
