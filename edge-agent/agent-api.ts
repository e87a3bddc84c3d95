/**
 * The agent as other code sees it (the CLI, the simulator, tests). Implemented by agent.ts.
 * Files under config.dataDir: identity.key (ed25519, mode 0600), agent.db (SQLite, WAL) and
 * bundles/ (trust.json, slots.json, slot-a.ehb, slot-b.ehb, incoming/: see edge-agent/README.md).
 */
import type { Clock } from '../shared/time/clock.ts';
import type { Logger } from '../shared/log/logger.ts';
import type { SensorAdapter, SensorFactory } from './sensors/types.ts';
import type { Detector, ModelSpec, ScoreNormaliser, ScoredReading } from './runtime/model-host.ts';
import type { BundleState, BundleStepHook } from './bundles/installer-core.ts';

export type { BundleState, BundleStep, BundleStepHook, StepDetail } from './bundles/installer-core.ts';

export const IDENTITY_FILE = 'identity.key';
export const BUFFER_FILE = 'agent.db';
export const BUNDLES_DIR = 'bundles';

export interface AgentDeps {
  /** Time stamped on readings and records (fleet time in the simulator). Default: system clock. */
  clock?: Clock;
  /** Wall time for auth timestamps; timers always run on real time. Default: system clock. */
  wallClock?: Clock;
  logger?: Logger;
  /** Extra sensor kinds, e.g. the simulator's `sim`. Built-ins: jsonl, system. */
  sensorFactories?: Record<string, SensorFactory>;
  /** Adapters built by the caller; when given, config.sensors is ignored. */
  sensors?: SensorAdapter[];
  /** Every reading the active model scores (see loadModel). */
  onScore?: (s: ScoredReading) => void;
  /** How raw model scores become anomaly scores and detections. Default: conformal rank + suppression (runtime/scoring.ts). */
  scoring?: { normaliser: () => ScoreNormaliser; detector: () => Detector };
  /**
   * Called at the points of a bundle install where an interruption matters most: after a chunk
   * is stored (download), before verification (verify), after the slot's temporary file is
   * written but before its rename (write), after the pointer swap (swap), and once the model has
   * loaded in the health check (health). Tests kill the process here.
   */
  bundleSteps?: BundleStepHook;
}

export interface AgentStats {
  connected: boolean;
  /** Records (outbox rows) waiting for an ack, and the readings and bytes in them. */
  outboxRecords: number;
  outboxReadings: number;
  outboxBytes: number;
  /** Highest sequence number assigned, per stream. */
  lastSeq: Record<string, number>;
  /** Readings dropped to stay inside buffer.maxBytes, per stream (cumulative, persisted). */
  dropped: Record<string, number>;
  readingsAppended: number;
  readingsAcked: number;
  batchesSent: number;
  resends: number;
  reconnects: number;
  sensorErrors: number;
}

export interface AgentHandle {
  readonly deviceId: string;
  /** Opens the buffer, loads or creates the identity, starts sensors and the uplink. Does not wait for a connection. */
  start(): Promise<void>;
  /** Graceful: stops sensors, writes what they hold, publishes offline status, closes everything. */
  stop(): Promise<void>;
  /** Abrupt, as close to SIGKILL as one process allows: in-memory readings are lost, the socket is destroyed without DISCONNECT (the broker fires the will), the database is closed without flushing. */
  crash(): Promise<void>;
  stats(): AgentStats;
  /**
   * Makes a model active: readings of its stream are scored from now on (after the calibration
   * readings it carries). Loads onnxruntime-node on first use. EH_MODEL_INVALID when ONNX Runtime
   * refuses the model; the previous model, if any, stays active then.
   */
  loadModel(spec: ModelSpec): Promise<void>;
  /** Resolves when every reading offered to the model so far has been scored. */
  scored(): Promise<void>;
  /** The bundle the agent runs, where the install of the desired one stands, and the last refusal or failure. */
  bundleState(): BundleState;
  /** Raw ed25519 public key; available after start(). */
  readonly publicKey: Uint8Array;
}
