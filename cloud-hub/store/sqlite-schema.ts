/**
 * The SQLite store's schema. Readings are keyed by (stream key, seq) in a WITHOUT ROWID table,
 * where the stream key stands for (device, stream) in `streams`: small integer keys keep the
 * B-tree narrow, which is most of the insert rate. Values are a Float64 LE blob (values-blob.ts);
 * a feature-set id per reading keeps old rows readable when a stream's features change.
 */
import { SQLITE_DRIFT_POLICIES_SQL } from './sqlite-drift-policies.ts';
import { SQLITE_DRIFT_SQL } from './sqlite-drift.ts';
import { SQLITE_MODELS_SQL } from './sqlite-models.ts';
import { SQLITE_ROLLOUTS_SQL } from './sqlite-rollouts.ts';

/**
 * 2: models, model_versions, model_artefacts, jobs (sqlite-models.ts).
 * 3: bundles, desired, reported, deployments, deployment_devices (sqlite-rollouts.ts).
 * 4: drift (sqlite-drift.ts).
 * 5: drift_policies (sqlite-drift-policies.ts).
 * 6: desired.shadow_bundle_id, reported.shadow, shadow_evaluations (sqlite-shadows.ts, applied after SCHEMA_SQL).
 */
export const SCHEMA_VERSION = 6;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS devices (
  id            TEXT PRIMARY KEY,
  grp           TEXT NOT NULL,
  profile       TEXT NOT NULL,
  public_key    BLOB NOT NULL,
  created_at_ms INTEGER NOT NULL,
  online        INTEGER NOT NULL DEFAULT 0,
  last_seen_ms  INTEGER,
  agent_version TEXT,
  active_bundle TEXT,
  backlog       INTEGER NOT NULL DEFAULT 0  -- outbox size the device's latest batch reported
);
CREATE INDEX IF NOT EXISTS devices_by_group ON devices (grp, id);

CREATE TABLE IF NOT EXISTS feature_sets (
  id    INTEGER PRIMARY KEY,
  names TEXT NOT NULL UNIQUE          -- JSON array of feature names, in value order
);

CREATE TABLE IF NOT EXISTS streams (
  sk            INTEGER PRIMARY KEY,  -- stream key used by readings
  device        TEXT NOT NULL REFERENCES devices (id),
  stream        TEXT NOT NULL,
  features      TEXT NOT NULL,        -- JSON array: the latest feature set's names
  fs            INTEGER NOT NULL REFERENCES feature_sets (id),
  highest_seq   INTEGER NOT NULL DEFAULT 0,
  dropped_total INTEGER NOT NULL DEFAULT 0,
  readings      INTEGER NOT NULL DEFAULT 0,
  last_rx_ms    INTEGER,
  UNIQUE (device, stream)
);

CREATE TABLE IF NOT EXISTS readings (
  sk    INTEGER NOT NULL,
  seq   INTEGER NOT NULL,
  ts_ms INTEGER NOT NULL,
  fs    INTEGER NOT NULL,
  vals  BLOB NOT NULL,
  PRIMARY KEY (sk, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS readings_by_time ON readings (sk, ts_ms);

CREATE TABLE IF NOT EXISTS tokens (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
  hash          TEXT NOT NULL UNIQUE,
  created_at_ms INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS audit (
  id      INTEGER PRIMARY KEY AUTOINCREMENT,
  at_ms   INTEGER NOT NULL,
  actor   TEXT NOT NULL,
  action  TEXT NOT NULL,
  target  TEXT NOT NULL,
  details TEXT
);
${SQLITE_MODELS_SQL}${SQLITE_ROLLOUTS_SQL}${SQLITE_DRIFT_SQL}${SQLITE_DRIFT_POLICIES_SQL}`;
