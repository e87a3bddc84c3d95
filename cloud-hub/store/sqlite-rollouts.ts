/**
 * RolloutStore on the embedded SQLite database: bundles, device twins and deployments.
 * Structured fields are JSON text. better-sqlite3 is synchronous, so a transaction here is
 * never interleaved with another call of this process: the device-conflict check in
 * createDeployment is atomic by construction.
 */
import type Database from 'better-sqlite3';
import { EdgehiveError } from '../../shared/errors/index.ts';
import {
  ACTIVE_DEPLOYMENT_STATES, conflictMessage, parseText, REPORTED_COLUMNS, reportedValues, toBundle, toDeployment, toDeploymentDevice,
  toDesired, toReported,
} from './rollout-rows.ts';
import type {
  BundleRecord, DeploymentDeviceRecord, DeploymentRecord, DeploymentState, DesiredRecord, ReportedRecord, RolloutStore,
} from './rollout-store.ts';

export const SQLITE_ROLLOUTS_SQL = `
CREATE TABLE IF NOT EXISTS bundles (
  id         TEXT PRIMARY KEY,          -- sha256 of the canonical manifest
  model      TEXT NOT NULL,
  version    INTEGER NOT NULL,
  variant    TEXT NOT NULL,
  profiles   TEXT NOT NULL,             -- JSON array
  bytes      INTEGER NOT NULL,
  sha256     TEXT NOT NULL,
  chunks     INTEGER NOT NULL,
  created_ms INTEGER NOT NULL,
  expires_ms INTEGER NOT NULL,
  manifest   TEXT NOT NULL,             -- JSON
  origin     TEXT NOT NULL CHECK (origin IN ('registry', 'upload'))
);
CREATE INDEX IF NOT EXISTS bundles_by_model ON bundles (model, version, variant, created_ms);

CREATE TABLE IF NOT EXISTS desired (
  device        TEXT PRIMARY KEY,
  bundle_id     TEXT,
  deployment_id TEXT,
  set_ms        INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS reported (
  device            TEXT PRIMARY KEY,
  ts_ms             INTEGER NOT NULL,
  received_ms       INTEGER NOT NULL,
  phase             TEXT NOT NULL,
  active_bundle     TEXT,
  active_model      TEXT,
  active_version    INTEGER,
  healthy           INTEGER NOT NULL,
  inactive_bundle   TEXT,
  desired_bundle    TEXT,
  installing_bundle TEXT,
  chunks_have       INTEGER NOT NULL,
  chunks_total      INTEGER NOT NULL,
  failed_bundle     TEXT,
  error_code        TEXT,
  error_message     TEXT,
  profile           TEXT,
  agent_version     TEXT,
  inferences        INTEGER NOT NULL,
  inference_errors  INTEGER NOT NULL,
  latency_p99_ms    REAL NOT NULL,
  activated_ms      INTEGER
);

CREATE TABLE IF NOT EXISTS deployments (
  id           TEXT PRIMARY KEY,
  state        TEXT NOT NULL CHECK (state IN ('running', 'halted', 'completed', 'aborted', 'failed')),
  source       TEXT NOT NULL,           -- JSON
  target       TEXT NOT NULL,           -- JSON
  bundles      TEXT NOT NULL,           -- JSON: bundle id per profile
  waves        TEXT NOT NULL,           -- JSON: WaveRecord[]
  current_wave INTEGER NOT NULL,
  auto_advance INTEGER NOT NULL,
  created_ms   INTEGER NOT NULL,
  updated_ms   INTEGER NOT NULL,
  actor        TEXT NOT NULL,
  reason       TEXT
);
CREATE INDEX IF NOT EXISTS deployments_by_state ON deployments (state, created_ms);

CREATE TABLE IF NOT EXISTS deployment_devices (
  deployment_id   TEXT NOT NULL REFERENCES deployments (id),
  device          TEXT NOT NULL,
  profile         TEXT NOT NULL,
  wave            INTEGER NOT NULL,
  bundle_id       TEXT NOT NULL,
  previous_bundle TEXT,
  state           TEXT NOT NULL CHECK (state IN ('pending', 'installing', 'installed', 'failed', 'restored')),
  error           TEXT,
  updated_ms      INTEGER NOT NULL,
  PRIMARY KEY (deployment_id, device)
);
CREATE INDEX IF NOT EXISTS deployment_devices_by_device ON deployment_devices (device);
`;

const PUT_REPORTED = `INSERT INTO reported (${REPORTED_COLUMNS.join(', ')}) VALUES (${REPORTED_COLUMNS.map(() => '?').join(', ')})
  ON CONFLICT (device) DO UPDATE SET ${REPORTED_COLUMNS.slice(1).map((c) => `${c} = excluded.${c}`).join(', ')}
  WHERE excluded.received_ms >= reported.received_ms`;

const UPDATE_DEVICE = `UPDATE deployment_devices SET wave = ?, bundle_id = ?, previous_bundle = ?, state = ?, error = ?, updated_ms = ?
  WHERE deployment_id = ? AND device = ?`;

type Row = Record<string, unknown>;

export class SqliteRolloutStore implements RolloutStore {
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();

  constructor(db: Database.Database) {
    this.#db = db;
  }

  #prep(sql: string): Database.Statement {
    let st = this.#statements.get(sql);
    if (!st) {
      st = this.#db.prepare(sql);
      this.#statements.set(sql, st);
    }
    return st;
  }

  async putBundle(b: BundleRecord): Promise<void> {
    this.#prep(`INSERT INTO bundles (id, model, version, variant, profiles, bytes, sha256, chunks, created_ms, expires_ms, manifest, origin)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`)
      .run(b.id, b.model, b.version, b.variant, JSON.stringify(b.profiles), b.bytes, b.sha256, b.chunks, b.createdMs, b.expiresMs,
        JSON.stringify(b.manifest), b.origin);
  }

  async getBundle(id: string): Promise<BundleRecord | null> {
    const row = this.#prep('SELECT * FROM bundles WHERE id = ?').get(id) as Row | undefined;
    return row ? toBundle(row, parseText) : null;
  }

  async listBundles(q: { model?: string; limit?: number } = {}): Promise<BundleRecord[]> {
    const rows = this.#prep('SELECT * FROM bundles WHERE (@model IS NULL OR model = @model) ORDER BY created_ms DESC, rowid DESC LIMIT @limit')
      .all({ model: q.model ?? null, limit: q.limit ?? -1 }) as Row[];
    return rows.map((r) => toBundle(r, parseText));
  }

  async findBundle(model: string, version: number, variant: string): Promise<BundleRecord | null> {
    const row = this.#prep('SELECT * FROM bundles WHERE model = ? AND version = ? AND variant = ? ORDER BY created_ms DESC, rowid DESC LIMIT 1')
      .get(model, version, variant) as Row | undefined;
    return row ? toBundle(row, parseText) : null;
  }

  async setDesired(d: DesiredRecord): Promise<void> {
    this.#prep(`INSERT INTO desired (device, bundle_id, deployment_id, set_ms, shadow_bundle_id) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (device) DO UPDATE SET bundle_id = excluded.bundle_id, deployment_id = excluded.deployment_id, set_ms = excluded.set_ms,
        shadow_bundle_id = excluded.shadow_bundle_id`)
      .run(d.device, d.bundleId, d.deploymentId, d.setMs, d.shadowBundleId ?? null);
  }

  async getDesired(device: string): Promise<DesiredRecord | null> {
    const row = this.#prep('SELECT * FROM desired WHERE device = ?').get(device) as Row | undefined;
    return row ? toDesired(row) : null;
  }

  async listDesired(): Promise<DesiredRecord[]> {
    return (this.#prep('SELECT * FROM desired ORDER BY device').all() as Row[]).map(toDesired);
  }

  async putReported(r: ReportedRecord): Promise<void> {
    this.#prep(PUT_REPORTED).run(...reportedValues(r, (b) => (b ? 1 : 0)));
  }

  async getReported(device: string): Promise<ReportedRecord | null> {
    const row = this.#prep('SELECT * FROM reported WHERE device = ?').get(device) as Row | undefined;
    return row ? toReported(row) : null;
  }

  async listReported(devices?: readonly string[]): Promise<ReportedRecord[]> {
    const rows = devices === undefined
      ? this.#prep('SELECT * FROM reported ORDER BY device').all()
      : this.#prep('SELECT * FROM reported WHERE device IN (SELECT value FROM json_each(?)) ORDER BY device').all(JSON.stringify(devices));
    return (rows as Row[]).map(toReported);
  }

  async createDeployment(d: DeploymentRecord, devices: readonly DeploymentDeviceRecord[]): Promise<void> {
    this.#db.transaction(() => {
      const taken = this.#prep(`SELECT dd.device, d.id, d.state FROM deployment_devices dd JOIN deployments d ON d.id = dd.deployment_id
        WHERE d.state IN (${ACTIVE_DEPLOYMENT_STATES.map((s) => `'${s}'`).join(', ')}) AND dd.device IN (SELECT value FROM json_each(?))
        ORDER BY dd.device LIMIT 1`).get(JSON.stringify(devices.map((x) => x.device))) as { device: string; id: string; state: string } | undefined;
      if (taken) throw new EdgehiveError('EH_CONFLICT', conflictMessage(taken.device, taken.id, taken.state), { device: taken.device, deployment: taken.id });
      const exists = this.#prep('SELECT 1 FROM deployments WHERE id = ?').get(d.id);
      if (exists) throw new EdgehiveError('EH_CONFLICT', `deployment ${d.id} already exists; create it with a new id`, { id: d.id });
      this.#prep(`INSERT INTO deployments (id, state, source, target, bundles, waves, current_wave, auto_advance, created_ms, updated_ms, actor, reason)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(d.id, d.state, JSON.stringify(d.source), JSON.stringify(d.target), JSON.stringify(d.bundles), JSON.stringify(d.waves),
          d.currentWave, d.autoAdvance ? 1 : 0, d.createdMs, d.updatedMs, d.actor, d.reason);
      const insert = this.#prep(`INSERT INTO deployment_devices (deployment_id, device, profile, wave, bundle_id, previous_bundle, state, error, updated_ms)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
      for (const x of devices) insert.run(d.id, x.device, x.profile, x.wave, x.bundleId, x.previousBundle, x.state, x.error, x.updatedMs);
    })();
  }

  async updateDeployment(d: DeploymentRecord): Promise<void> {
    const r = this.#prep(`UPDATE deployments SET state = ?, waves = ?, current_wave = ?, auto_advance = ?, reason = ?, updated_ms = ?,
      bundles = ? WHERE id = ?`)
      .run(d.state, JSON.stringify(d.waves), d.currentWave, d.autoAdvance ? 1 : 0, d.reason, d.updatedMs, JSON.stringify(d.bundles), d.id);
    if (r.changes === 0) throw notFound(d.id);
  }

  async getDeployment(id: string): Promise<DeploymentRecord | null> {
    const row = this.#prep('SELECT * FROM deployments WHERE id = ?').get(id) as Row | undefined;
    return row ? toDeployment(row, parseText) : null;
  }

  async listDeployments(q: { states?: readonly DeploymentState[]; limit?: number } = {}): Promise<DeploymentRecord[]> {
    const rows = this.#prep(`SELECT * FROM deployments WHERE (@states IS NULL OR state IN (SELECT value FROM json_each(@states)))
      ORDER BY created_ms DESC, rowid DESC LIMIT @limit`)
      .all({ states: q.states === undefined ? null : JSON.stringify(q.states), limit: q.limit ?? -1 }) as Row[];
    return rows.map((r) => toDeployment(r, parseText));
  }

  async listDeploymentDevices(deploymentId: string): Promise<DeploymentDeviceRecord[]> {
    return (this.#prep('SELECT * FROM deployment_devices WHERE deployment_id = ? ORDER BY device').all(deploymentId) as Row[]).map(toDeploymentDevice);
  }

  async updateDeploymentDevice(r: DeploymentDeviceRecord): Promise<void> {
    const res = this.#prep(UPDATE_DEVICE).run(r.wave, r.bundleId, r.previousBundle, r.state, r.error, r.updatedMs, r.deploymentId, r.device);
    if (res.changes === 0) throw deviceNotFound(r);
  }

  async updateDeploymentDevices(rs: readonly DeploymentDeviceRecord[]): Promise<void> {
    this.#db.transaction(() => {
      const st = this.#prep(UPDATE_DEVICE);
      for (const r of rs) {
        if (st.run(r.wave, r.bundleId, r.previousBundle, r.state, r.error, r.updatedMs, r.deploymentId, r.device).changes === 0) throw deviceNotFound(r);
      }
    })();
  }
}

function notFound(id: string): EdgehiveError {
  return new EdgehiveError('EH_NOT_FOUND', `no deployment ${id}; GET /api/v1/deployments lists them`, { id });
}

function deviceNotFound(r: DeploymentDeviceRecord): EdgehiveError {
  return new EdgehiveError('EH_NOT_FOUND', `device ${r.device} is not part of deployment ${r.deploymentId}`, { deployment: r.deploymentId, device: r.device });
}
