/**
 * RolloutStore on PostgreSQL. Several hub processes may share the database, so createDeployment
 * takes a transaction-scoped advisory lock before checking that no active deployment owns one of
 * its devices: two creations that would take the same device run one after the other.
 */
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { PgDb } from './postgres-db.ts';
import {
  ACTIVE_DEPLOYMENT_STATES, asParsed, conflictMessage, REPORTED_COLUMNS, reportedValues, toBundle, toDeployment, toDeploymentDevice,
  toDesired, toReported,
} from './rollout-rows.ts';
import type {
  BundleRecord, DeploymentDeviceRecord, DeploymentRecord, DeploymentState, DesiredRecord, ReportedRecord, RolloutStore,
} from './rollout-store.ts';

/** Migration 3 of postgres-schema.ts. Never edit once shipped. */
export const postgresRolloutsMigration = (s: string): string => `
CREATE TABLE ${s}.bundles (
  seq        int8 GENERATED ALWAYS AS IDENTITY,
  id         text PRIMARY KEY,
  model      text NOT NULL,
  version    int4 NOT NULL,
  variant    text NOT NULL,
  profiles   jsonb NOT NULL,
  bytes      int8 NOT NULL,
  sha256     text NOT NULL,
  chunks     int4 NOT NULL,
  created_ms int8 NOT NULL,
  expires_ms int8 NOT NULL,
  manifest   jsonb NOT NULL,
  origin     text NOT NULL CHECK (origin IN ('registry', 'upload'))
);
CREATE INDEX bundles_by_model ON ${s}.bundles (model, version, variant, created_ms);

CREATE TABLE ${s}.desired (
  device        text PRIMARY KEY,
  bundle_id     text,
  deployment_id text,
  set_ms        int8 NOT NULL
);

CREATE TABLE ${s}.reported (
  device            text PRIMARY KEY,
  ts_ms             int8 NOT NULL,
  received_ms       int8 NOT NULL,
  phase             text NOT NULL,
  active_bundle     text,
  active_model      text,
  active_version    int4,
  healthy           boolean NOT NULL,
  inactive_bundle   text,
  desired_bundle    text,
  installing_bundle text,
  chunks_have       int4 NOT NULL,
  chunks_total      int4 NOT NULL,
  failed_bundle     text,
  error_code        text,
  error_message     text,
  profile           text,
  agent_version     text,
  inferences        int8 NOT NULL,
  inference_errors  int8 NOT NULL,
  latency_p99_ms    float8 NOT NULL,
  activated_ms      int8
);

CREATE TABLE ${s}.deployments (
  seq          int8 GENERATED ALWAYS AS IDENTITY,
  id           text PRIMARY KEY,
  state        text NOT NULL CHECK (state IN ('running', 'halted', 'completed', 'aborted', 'failed')),
  source       jsonb NOT NULL,
  target       jsonb NOT NULL,
  bundles      jsonb NOT NULL,
  waves        jsonb NOT NULL,
  current_wave int4 NOT NULL,
  auto_advance boolean NOT NULL,
  created_ms   int8 NOT NULL,
  updated_ms   int8 NOT NULL,
  actor        text NOT NULL,
  reason       text
);
CREATE INDEX deployments_by_state ON ${s}.deployments (state, created_ms);

CREATE TABLE ${s}.deployment_devices (
  deployment_id   text NOT NULL REFERENCES ${s}.deployments (id),
  device          text NOT NULL,
  profile         text NOT NULL,
  wave            int4 NOT NULL,
  bundle_id       text NOT NULL,
  previous_bundle text,
  state           text NOT NULL CHECK (state IN ('pending', 'installing', 'installed', 'failed', 'restored')),
  error           text,
  updated_ms      int8 NOT NULL,
  PRIMARY KEY (deployment_id, device)
);
CREATE INDEX deployment_devices_by_device ON ${s}.deployment_devices (device);`;

/** jsonb parameters go as JSON text: pg would send a JS array as a PostgreSQL array. */
const json = (v: unknown): string => JSON.stringify(v);
const ACTIVE = ACTIVE_DEPLOYMENT_STATES.map((x) => `'${x}'`).join(', ');

type Row = Record<string, unknown>;

export class PostgresRolloutStore implements RolloutStore {
  readonly #db: () => PgDb;
  readonly #s: string;
  readonly #putReported: string;

  /** `db` is asked on each call, so the store can be closed and reopened underneath. */
  constructor(db: () => PgDb, quotedSchema: string) {
    this.#db = db;
    this.#s = quotedSchema;
    this.#putReported = `INSERT INTO ${quotedSchema}.reported AS r (${REPORTED_COLUMNS.join(', ')})
      VALUES (${REPORTED_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})
      ON CONFLICT (device) DO UPDATE SET ${REPORTED_COLUMNS.slice(1).map((c) => `${c} = excluded.${c}`).join(', ')}
      WHERE excluded.received_ms >= r.received_ms`;
  }

  async putBundle(b: BundleRecord): Promise<void> {
    await this.#db().query('recording a bundle', `INSERT INTO ${this.#s}.bundles (id, model, version, variant, profiles, bytes, sha256, chunks,
      created_ms, expires_ms, manifest, origin) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (id) DO NOTHING`,
    [b.id, b.model, b.version, b.variant, json(b.profiles), b.bytes, b.sha256, b.chunks, b.createdMs, b.expiresMs, json(b.manifest), b.origin]);
  }

  async getBundle(id: string): Promise<BundleRecord | null> {
    const { rows } = await this.#db().query<Row>('reading a bundle', `SELECT * FROM ${this.#s}.bundles WHERE id = $1`, [id]);
    return rows[0] ? toBundle(rows[0], asParsed) : null;
  }

  async listBundles(q: { model?: string; limit?: number } = {}): Promise<BundleRecord[]> {
    const { rows } = await this.#db().query<Row>('listing bundles', `SELECT * FROM ${this.#s}.bundles WHERE $1::text IS NULL OR model = $1
      ORDER BY created_ms DESC, seq DESC LIMIT $2`, [q.model ?? null, q.limit ?? null]);
    return rows.map((r) => toBundle(r, asParsed));
  }

  async findBundle(model: string, version: number, variant: string): Promise<BundleRecord | null> {
    const { rows } = await this.#db().query<Row>('finding a bundle', `SELECT * FROM ${this.#s}.bundles
      WHERE model = $1 AND version = $2 AND variant = $3 ORDER BY created_ms DESC, seq DESC LIMIT 1`, [model, version, variant]);
    return rows[0] ? toBundle(rows[0], asParsed) : null;
  }

  async setDesired(d: DesiredRecord): Promise<void> {
    await this.#db().query('recording a desired state', `INSERT INTO ${this.#s}.desired (device, bundle_id, deployment_id, set_ms, shadow_bundle_id)
      VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (device) DO UPDATE SET bundle_id = excluded.bundle_id, deployment_id = excluded.deployment_id, set_ms = excluded.set_ms,
        shadow_bundle_id = excluded.shadow_bundle_id`,
    [d.device, d.bundleId, d.deploymentId, d.setMs, d.shadowBundleId ?? null]);
  }

  async getDesired(device: string): Promise<DesiredRecord | null> {
    const { rows } = await this.#db().query<Row>('reading a desired state', `SELECT * FROM ${this.#s}.desired WHERE device = $1`, [device]);
    return rows[0] ? toDesired(rows[0]) : null;
  }

  async listDesired(): Promise<DesiredRecord[]> {
    const { rows } = await this.#db().query<Row>('listing desired states', `SELECT * FROM ${this.#s}.desired ORDER BY device`);
    return rows.map(toDesired);
  }

  async putReported(r: ReportedRecord): Promise<void> {
    await this.#db().query('recording a reported state', this.#putReported, reportedValues(r, (b) => b));
  }

  async getReported(device: string): Promise<ReportedRecord | null> {
    const { rows } = await this.#db().query<Row>('reading a reported state', `SELECT * FROM ${this.#s}.reported WHERE device = $1`, [device]);
    return rows[0] ? toReported(rows[0]) : null;
  }

  async listReported(devices?: readonly string[]): Promise<ReportedRecord[]> {
    const { rows } = await this.#db().query<Row>('listing reported states', `SELECT * FROM ${this.#s}.reported
      WHERE $1::text[] IS NULL OR device = ANY($1::text[]) ORDER BY device`, [devices === undefined ? null : [...devices]]);
    return rows.map(toReported);
  }

  async createDeployment(d: DeploymentRecord, devices: readonly DeploymentDeviceRecord[]): Promise<void> {
    await this.#db().tx('creating a deployment', async (c) => {
      await c.query("SELECT pg_advisory_xact_lock(hashtext('edgehive.deployments.' || $1))", [this.#s]);
      const taken = await c.query<{ device: string; id: string; state: string }>(`SELECT dd.device, d.id, d.state
        FROM ${this.#s}.deployment_devices dd JOIN ${this.#s}.deployments d ON d.id = dd.deployment_id
        WHERE d.state IN (${ACTIVE}) AND dd.device = ANY($1::text[]) ORDER BY dd.device LIMIT 1`, [devices.map((x) => x.device)]);
      const t = taken.rows[0];
      if (t) throw new EdgehiveError('EH_CONFLICT', conflictMessage(t.device, t.id, t.state), { device: t.device, deployment: t.id });
      const inserted = await c.query(`INSERT INTO ${this.#s}.deployments (id, state, source, target, bundles, waves, current_wave, auto_advance,
        created_ms, updated_ms, actor, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (id) DO NOTHING`,
      [d.id, d.state, json(d.source), json(d.target), json(d.bundles), json(d.waves), d.currentWave, d.autoAdvance, d.createdMs, d.updatedMs, d.actor, d.reason]);
      if (inserted.rowCount === 0) throw new EdgehiveError('EH_CONFLICT', `deployment ${d.id} already exists; create it with a new id`, { id: d.id });
      if (devices.length === 0) return;
      // One statement for the whole device list: arrays unnested row by row.
      await c.query(`INSERT INTO ${this.#s}.deployment_devices (deployment_id, device, profile, wave, bundle_id, previous_bundle, state, error, updated_ms)
        SELECT $1, * FROM unnest($2::text[], $3::text[], $4::int4[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int8[])`,
      [d.id, devices.map((x) => x.device), devices.map((x) => x.profile), devices.map((x) => x.wave), devices.map((x) => x.bundleId),
        devices.map((x) => x.previousBundle), devices.map((x) => x.state), devices.map((x) => x.error), devices.map((x) => x.updatedMs)]);
    });
  }

  async updateDeployment(d: DeploymentRecord): Promise<void> {
    const r = await this.#db().query('updating a deployment', `UPDATE ${this.#s}.deployments SET state = $2, waves = $3, current_wave = $4,
      auto_advance = $5, reason = $6, updated_ms = $7, bundles = $8 WHERE id = $1`,
    [d.id, d.state, json(d.waves), d.currentWave, d.autoAdvance, d.reason, d.updatedMs, json(d.bundles)]);
    if (r.rowCount === 0) throw new EdgehiveError('EH_NOT_FOUND', `no deployment ${d.id}; GET /api/v1/deployments lists them`, { id: d.id });
  }

  async getDeployment(id: string): Promise<DeploymentRecord | null> {
    const { rows } = await this.#db().query<Row>('reading a deployment', `SELECT * FROM ${this.#s}.deployments WHERE id = $1`, [id]);
    return rows[0] ? toDeployment(rows[0], asParsed) : null;
  }

  async listDeployments(q: { states?: readonly DeploymentState[]; limit?: number } = {}): Promise<DeploymentRecord[]> {
    const { rows } = await this.#db().query<Row>('listing deployments', `SELECT * FROM ${this.#s}.deployments
      WHERE $1::text[] IS NULL OR state = ANY($1::text[]) ORDER BY created_ms DESC, seq DESC LIMIT $2`,
    [q.states === undefined ? null : [...q.states], q.limit ?? null]);
    return rows.map((r) => toDeployment(r, asParsed));
  }

  async listDeploymentDevices(deploymentId: string): Promise<DeploymentDeviceRecord[]> {
    const { rows } = await this.#db().query<Row>('listing deployment devices', `SELECT * FROM ${this.#s}.deployment_devices
      WHERE deployment_id = $1 ORDER BY device`, [deploymentId]);
    return rows.map(toDeploymentDevice);
  }

  async updateDeploymentDevice(r: DeploymentDeviceRecord): Promise<void> {
    await this.updateDeploymentDevices([r]);
  }

  async updateDeploymentDevices(rs: readonly DeploymentDeviceRecord[]): Promise<void> {
    if (rs.length === 0) return;
    // One statement: the rows travel as arrays and join the table on (deployment, device); in a
    // transaction so that a record naming no row leaves every row as it was.
    await this.#db().tx('updating deployment devices', async (c) => {
      const { rows } = await c.query<{ deployment_id: string; device: string }>(`UPDATE ${this.#s}.deployment_devices dd
        SET wave = u.wave, bundle_id = u.bundle_id, previous_bundle = u.previous_bundle, state = u.state, error = u.error, updated_ms = u.updated_ms
        FROM unnest($1::text[], $2::text[], $3::int4[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int8[])
          AS u (deployment_id, device, wave, bundle_id, previous_bundle, state, error, updated_ms)
        WHERE dd.deployment_id = u.deployment_id AND dd.device = u.device RETURNING dd.deployment_id, dd.device`,
      [rs.map((r) => r.deploymentId), rs.map((r) => r.device), rs.map((r) => r.wave), rs.map((r) => r.bundleId), rs.map((r) => r.previousBundle),
        rs.map((r) => r.state), rs.map((r) => r.error), rs.map((r) => r.updatedMs)]);
      const found = new Set(rows.map((r) => `${r.deployment_id}\u0000${r.device}`));
      const missing = rs.find((r) => !found.has(`${r.deploymentId}\u0000${r.device}`));
      if (missing) {
        throw new EdgehiveError('EH_NOT_FOUND', `device ${missing.device} is not part of deployment ${missing.deploymentId}`,
          { deployment: missing.deploymentId, device: missing.device });
      }
    });
  }
}
