/**
 * DriftPolicyStore on PostgreSQL: one row per model, JSON as jsonb. Each setter is one upsert
 * that touches only its own columns, so two hub processes setting an override and recording a
 * trigger at once both keep what they wrote.
 */
import { lastTriggerJson, toDriftPolicyRecord, type DriftPolicyRecord, type DriftPolicyStore, type DriftTriggerRecord, type JsonObject } from './drift-policy-store.ts';
import type { PgDb } from './postgres-db.ts';

/** Migration 5 of postgres-schema.ts. Never edit once shipped. */
export const postgresDriftPoliciesMigration = (s: string): string => `
CREATE TABLE ${s}.drift_policies (
  model             text PRIMARY KEY,
  override          jsonb,             -- DriftPolicyPatch set through the API
  cooldown_until_ms int8,
  last_trigger      jsonb,             -- {atMs, group, verdict}
  job_id            text,
  updated_ms        int8 NOT NULL
);
-- The manager reads one model's recent reports.
CREATE INDEX drift_by_model ON ${s}.drift (model, ts_ms);`;

export class PostgresDriftPolicyStore implements DriftPolicyStore {
  readonly #db: () => PgDb;
  readonly #s: string;

  /** `db` is asked on each call, so the store can be closed and reopened underneath. */
  constructor(db: () => PgDb, quotedSchema: string) {
    this.#db = db;
    this.#s = quotedSchema;
  }

  async get(model: string): Promise<DriftPolicyRecord | null> {
    const { rows } = await this.#db().query<Record<string, unknown>>('reading a drift policy', `SELECT * FROM ${this.#s}.drift_policies WHERE model = $1`, [model]);
    return rows[0] ? toDriftPolicyRecord(rows[0], (v) => v) : null;
  }

  async setOverride(model: string, override: JsonObject | null, atMs: number): Promise<void> {
    await this.#db().query('storing a drift policy override', `INSERT INTO ${this.#s}.drift_policies (model, override, updated_ms) VALUES ($1, $2::jsonb, $3)
      ON CONFLICT (model) DO UPDATE SET override = excluded.override, updated_ms = excluded.updated_ms`,
    [model, override === null ? null : JSON.stringify(override), atMs]);
  }

  async setTrigger(model: string, t: DriftTriggerRecord, atMs: number): Promise<void> {
    await this.#db().query('storing a drift trigger', `INSERT INTO ${this.#s}.drift_policies (model, cooldown_until_ms, last_trigger, job_id, updated_ms)
      VALUES ($1, $2, $3::jsonb, $4, $5)
      ON CONFLICT (model) DO UPDATE SET cooldown_until_ms = excluded.cooldown_until_ms, last_trigger = excluded.last_trigger,
        job_id = excluded.job_id, updated_ms = excluded.updated_ms`,
    [model, t.untilMs, lastTriggerJson(t), t.jobId, atMs]);
  }
}
