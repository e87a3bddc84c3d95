/**
 * The PostgreSQL store's schema, as numbered migrations applied by init(). Every table lives in
 * one schema (option `schema`), so tests and several fleets can share a database. Readings are
 * keyed by (stream id, seq), where the stream id stands for (device, stream) in `streams`; values
 * are float8[] (NaN where missing), and a feature-set id per reading keeps old rows readable when
 * a stream's features change. See docs/decisions/0002-store-postgres.md.
 */
import type { PoolClient } from 'pg';
import { EdgehiveError } from '../../shared/errors/index.ts';
import { postgresDriftPoliciesMigration } from './postgres-drift-policies.ts';
import { postgresDriftMigration } from './postgres-drift.ts';
import { postgresModelsMigration } from './postgres-models.ts';
import { postgresRolloutsMigration } from './postgres-rollouts.ts';
import { postgresShadowsMigration } from './postgres-shadows.ts';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The schema name as a quoted SQL identifier; only plain lower-case names are accepted. */
export function quoteSchema(name: string): string {
  if (!SCHEMA_NAME.test(name)) {
    throw new EdgehiveError('EH_CONFIG_INVALID', `PostgreSQL schema ${JSON.stringify(name)} is not valid: use 1-63 characters from a-z 0-9 _, not starting with a digit`);
  }
  return `"${name}"`;
}

/** Migrations in order; index + 1 is the version each one brings the schema to. Never edit a shipped one. */
export const MIGRATIONS: ReadonlyArray<(s: string) => string> = [
  (s) => `
CREATE TABLE ${s}.devices (
  id            text PRIMARY KEY,
  grp           text NOT NULL,
  profile       text NOT NULL,
  public_key    bytea NOT NULL,
  created_at_ms int8 NOT NULL,
  online        boolean NOT NULL DEFAULT false,
  last_seen_ms  int8,
  agent_version text,
  active_bundle text
);
CREATE INDEX devices_by_group ON ${s}.devices (grp, id);

CREATE TABLE ${s}.feature_sets (
  id    int4 GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  names jsonb NOT NULL UNIQUE          -- feature names, in value order
);

CREATE TABLE ${s}.streams (
  id            int8 GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  device        text NOT NULL REFERENCES ${s}.devices (id),
  stream        text NOT NULL,
  features      jsonb NOT NULL,        -- the latest feature set's names
  fs            int4 NOT NULL REFERENCES ${s}.feature_sets (id),
  highest_seq   int8 NOT NULL DEFAULT 0,
  dropped_total int8 NOT NULL DEFAULT 0,
  backlog       int8 NOT NULL DEFAULT 0,
  readings      int8 NOT NULL DEFAULT 0,
  last_rx_ms    int8,
  UNIQUE (device, stream)
);

-- No foreign key to streams: a per-row trigger would cost a fifth of the insert rate, and rows
-- are only written by writeTelemetry under the stream row's lock.
CREATE TABLE ${s}.readings (
  stream_id int8 NOT NULL,
  seq       int8 NOT NULL,
  ts_ms     int8 NOT NULL,
  fs        int4 NOT NULL,
  vals      float8[] NOT NULL,
  PRIMARY KEY (stream_id, seq)
);
CREATE INDEX readings_by_time ON ${s}.readings (stream_id, ts_ms);

CREATE TABLE ${s}.tokens (
  id            text PRIMARY KEY,
  name          text NOT NULL,
  role          text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
  hash          text NOT NULL UNIQUE,
  created_at_ms int8 NOT NULL
);

CREATE TABLE ${s}.audit (
  id      int8 GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at_ms   int8 NOT NULL,
  actor   text NOT NULL,
  action  text NOT NULL,
  target  text NOT NULL,
  details jsonb
);`,
  postgresModelsMigration,
  postgresRolloutsMigration,
  postgresDriftMigration,
  postgresDriftPoliciesMigration,
  postgresShadowsMigration,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings schema `name` up to SCHEMA_VERSION in one transaction. An advisory lock per schema
 * makes hub processes starting together take turns; the later ones find nothing left to do.
 */
export async function migrate(c: PoolClient, name: string): Promise<void> {
  const s = quoteSchema(name);
  await c.query('BEGIN');
  try {
    await c.query("SELECT pg_advisory_xact_lock(hashtext('edgehive.schema.' || $1))", [name]);
    await c.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await c.query(`CREATE TABLE IF NOT EXISTS ${s}.schema_version (
      version int4 PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await c.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${s}.schema_version`);
    const current = rows[0]?.v ?? 0;
    if (current > SCHEMA_VERSION) {
      throw new EdgehiveError('EH_STORE_FAILED', `PostgreSQL schema ${name} is at version ${current}, newer than this hub's ${SCHEMA_VERSION}; upgrade the hub`);
    }
    for (let v = current + 1; v <= SCHEMA_VERSION; v++) {
      await c.query(MIGRATIONS[v - 1]!(s));
      await c.query(`INSERT INTO ${s}.schema_version (version) VALUES ($1)`, [v]);
    }
    await c.query('COMMIT');
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}
