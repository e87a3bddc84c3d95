import type { DriftPolicyStore } from './drift-policy-store.ts';
import type { ShadowStore } from './shadow-store.ts';
import type { DriftStore } from './drift-store.ts';
import type { ModelStore } from './model-store.ts';
import type { RolloutStore } from './rollout-store.ts';

/**
 * The hub's storage boundary. Two implementations (SQLite, the embedded default, and PostgreSQL)
 * pass one abstract suite: test/integration/store-contract.ts. All methods are async so both fit.
 */

export type Role = 'viewer' | 'operator' | 'admin';

export interface NewDevice {
  id: string;
  group: string;
  profile: string;
  /** Raw 32-byte ed25519 public key. */
  publicKey: Uint8Array;
  createdAtMs: number;
}

export interface DeviceRecord extends NewDevice {
  online: boolean;
  lastSeenMs: number | null;
  agentVersion: string | null;
  activeBundle: string | null;
  /** Readings the agent reports it dropped to stay inside its storage bound (sum over streams). */
  droppedReadings: number;
  /** Outbox records waiting on the device, from its latest batch. */
  backlog: number;
  readingsStored: number;
}

export interface DeviceQuery { group?: string; profile?: string; online?: boolean; limit?: number; offset?: number }

export interface DeviceStatusUpdate {
  online: boolean;
  atMs: number;
  agentVersion?: string;
  profile?: string;
  activeBundle?: string;
}

/** A decoded telemetry batch ready to store. `values` rows hold NaN where a value is missing. */
export interface TelemetryWrite {
  device: string;
  stream: string;
  firstSeq: number;
  features: readonly string[];
  readings: ReadonlyArray<{ tsMs: number; values: ArrayLike<number> }>;
  droppedTotal: number;
  backlog: number;
  receivedAtMs: number;
}

export interface TelemetryWriteResult {
  /** Readings newly stored. */
  inserted: number;
  /** Readings already stored earlier (a resend): ignored, but still acknowledged. */
  duplicates: number;
}

export interface TelemetryQuery { stream?: string; fromMs?: number; toMs?: number; limit: number }

export interface StoredReading { stream: string; seq: number; tsMs: number; values: Array<number | null> }

export interface TelemetryPage {
  /** Feature names per stream of the readings returned. */
  features: Record<string, string[]>;
  readings: StoredReading[];
}

export interface TokenRecord { id: string; name: string; role: Role; hash: string; createdAtMs: number }

export interface AuditEntry { atMs: number; actor: string; action: string; target: string; details?: Record<string, unknown> }

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Creates or migrates the schema. Idempotent. */
  init(): Promise<void>;
  close(): Promise<void>;

  /** Throws EdgehiveError EH_CONFLICT when the id exists with another public key. Same key: returns the existing record. */
  createDevice(d: NewDevice): Promise<DeviceRecord>;
  getDevice(id: string): Promise<DeviceRecord | null>;
  listDevices(q?: DeviceQuery): Promise<DeviceRecord[]>;
  setDeviceStatus(id: string, s: DeviceStatusUpdate): Promise<void>;

  /**
   * Stores many batches in one transaction. Each (device, stream, seq) is stored at most once;
   * a resent reading counts as a duplicate. Returns one result per batch, in order.
   */
  writeTelemetry(batches: readonly TelemetryWrite[]): Promise<TelemetryWriteResult[]>;
  queryTelemetry(device: string, q: TelemetryQuery): Promise<TelemetryPage>;
  /** Highest sequence number stored for a stream, 0 when none. */
  highestSeq(device: string, stream: string): Promise<number>;
  countReadings(device?: string): Promise<number>;

  createToken(t: TokenRecord): Promise<void>;
  findTokenByHash(hash: string): Promise<TokenRecord | null>;
  countTokens(): Promise<number>;

  appendAudit(e: AuditEntry): Promise<void>;
  listAudit(limit: number): Promise<AuditEntry[]>;

  /** Models, versions, artefact records and training jobs (model-store.ts). Usable after init(). */
  readonly models: ModelStore;
  /** Bundles, device twins (desired and reported state) and deployments (rollout-store.ts). Usable after init(). */
  readonly rollouts: RolloutStore;
  /** Drift reports, one row per (report, feature) (drift-store.ts). Usable after init(). */
  readonly drift: DriftStore;
  /** Per-model drift policy override and last trigger with its cool-down (drift-policy-store.ts). Usable after init(). */
  readonly driftPolicies: DriftPolicyStore;
  /** Shadow evaluations of challenger model versions (shadow-store.ts). Usable after init(). */
  readonly shadows: ShadowStore;
}
