/**
 * The hub as other code sees it (the CLI, the simulator, tests). Implemented by hub.ts.
 */
import type { RootBody } from '../shared/bundle/schema.ts';
import type { AgentConfig } from '../shared/config/agent-config.ts';
import type { Clock } from '../shared/time/clock.ts';
import type { Logger } from '../shared/log/logger.ts';
import type { BundleService, DesiredPublisher, ReportedFeed } from './bundles/bundle-api.ts';
import type { DriftPolicyManager } from './drift/policy-manager.ts';
import type { JobManager } from './jobs/job-manager.ts';
import type { TrainingPipeline } from './jobs/schema.ts';
import type { ModelRegistry } from './registry/registry.ts';
import type { RolloutManager } from './rollouts/rollout-manager.ts';
import type { ShadowManager } from './shadow/shadow-manager.ts';
import type { DeviceRecord, Store } from './store/types.ts';

export interface ProvisionInput { id: string; group?: string; profile: string; publicKey: string /* base64, 32 bytes */ }

export interface ProvisionResult {
  device: DeviceRecord;
  /**
   * What the device needs to connect, and the fleet's root public keys to check bundles against
   * (`bundles.root`; the other bundle settings keep their defaults). The caller fills dataDir
   * and sensors.
   */
  agentConfig: Pick<AgentConfig, 'fleet' | 'deviceId' | 'group' | 'profile' | 'hub'> & { bundles?: { root: RootBody } };
}

export interface HubMetricsSnapshot {
  messagesIn: Record<string, number>;
  readingsStored: number;
  duplicates: number;
  rejects: Record<string, number>;
  devicesOnline: number;
  /** Milliseconds from message arrival to commit, recent median and p99. */
  ingestLagMs: { p50: number; p99: number };
}

export interface HubDeps {
  /** Time stamped on records (fleet time in the simulator). Default: system clock. */
  clock?: Clock;
  /** Wall time for checking device auth timestamps, which agents sign with their wall clock. Default: system clock. */
  wallClock?: Clock;
  logger?: Logger;
  /**
   * Runs training jobs (data → train → export → quantise → evaluate → register). Default: the
   * real model pipeline (cloud-hub/pipeline), loaded on the first job; null: training disabled
   * (POST .../train answers 503).
   */
  pipeline?: TrainingPipeline | null;
  /** Training jobs running at once on this hub. Default 1. */
  maxConcurrentJobs?: number;
}

export interface HubHandle {
  /** URL agents use to reach the broker (embedded or external). */
  readonly mqttUrl: string;
  /** Base URL of the HTTP API, e.g. http://127.0.0.1:8080 */
  readonly httpUrl: string;
  readonly store: Store;
  /** Set only on the start that created the admin token; the hub never shows it again. */
  readonly adminToken: string | null;
  /** Models, versions and their artefacts (under <dataDir>/artefacts). */
  readonly registry: ModelRegistry;
  readonly jobs: JobManager;
  /** Signed bundles built from registry versions or uploaded (files under <dataDir>/bundles). */
  readonly bundles: BundleService;
  /** Desired states and bundle chunks, retained on the broker. */
  readonly publisher: DesiredPublisher;
  /** Reported states as devices send them (after they are stored). */
  readonly reported: ReportedFeed;
  /** Deployments in waves: create, status, halt, resume, abort (cloud-hub/rollouts). */
  readonly rollouts: RolloutManager;
  /** Drift policies: evaluation on committed drift reports, triggered retraining, cool-downs (cloud-hub/drift). */
  readonly driftPolicy: DriftPolicyManager;
  /** Shadow evaluations: challengers beside the champion, then promotion or retirement (cloud-hub/shadow). */
  readonly shadow: ShadowManager;
  provision(input: ProvisionInput, actor?: string): Promise<ProvisionResult>;
  metrics(): HubMetricsSnapshot;
  /** Embedded broker only: drops every client, stays down `downMs`, listens again on the same port. */
  restartBroker(downMs?: number): Promise<void>;
  /** Bytes the embedded broker has sent to its clients; null on an external broker. */
  brokerBytesSent(): number | null;
  close(): Promise<void>;
}
