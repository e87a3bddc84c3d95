/**
 * DriftPolicyStore on the embedded SQLite database: one row per model, JSON as text. Each
 * setter is one upsert that touches only its own columns, so setting an override never loses a
 * cool-down and the other way round.
 */
import type Database from 'better-sqlite3';
import { lastTriggerJson, toDriftPolicyRecord, type DriftPolicyRecord, type DriftPolicyStore, type DriftTriggerRecord, type JsonObject } from './drift-policy-store.ts';

/** Part of schema version 5 (sqlite-schema.ts). */
export const SQLITE_DRIFT_POLICIES_SQL = `
CREATE TABLE IF NOT EXISTS drift_policies (
  model             TEXT PRIMARY KEY,
  override          TEXT,               -- JSON: DriftPolicyPatch set through the API
  cooldown_until_ms INTEGER,
  last_trigger      TEXT,               -- JSON: {atMs, group, verdict}
  job_id            TEXT,
  updated_ms        INTEGER NOT NULL
);
-- The manager reads one model's recent reports.
CREATE INDEX IF NOT EXISTS drift_by_model ON drift (model, ts_ms);
`;

const parse = (v: unknown): unknown => JSON.parse(v as string);

export class SqliteDriftPolicyStore implements DriftPolicyStore {
  readonly #get: Database.Statement;
  readonly #override: Database.Statement;
  readonly #trigger: Database.Statement;

  constructor(db: Database.Database) {
    this.#get = db.prepare('SELECT * FROM drift_policies WHERE model = ?');
    this.#override = db.prepare(`INSERT INTO drift_policies (model, override, updated_ms) VALUES (?, ?, ?)
      ON CONFLICT (model) DO UPDATE SET override = excluded.override, updated_ms = excluded.updated_ms`);
    this.#trigger = db.prepare(`INSERT INTO drift_policies (model, cooldown_until_ms, last_trigger, job_id, updated_ms) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (model) DO UPDATE SET cooldown_until_ms = excluded.cooldown_until_ms, last_trigger = excluded.last_trigger,
        job_id = excluded.job_id, updated_ms = excluded.updated_ms`);
  }

  async get(model: string): Promise<DriftPolicyRecord | null> {
    const row = this.#get.get(model) as Record<string, unknown> | undefined;
    return row ? toDriftPolicyRecord(row, parse) : null;
  }

  async setOverride(model: string, override: JsonObject | null, atMs: number): Promise<void> {
    this.#override.run(model, override === null ? null : JSON.stringify(override), atMs);
  }

  async setTrigger(model: string, t: DriftTriggerRecord, atMs: number): Promise<void> {
    this.#trigger.run(model, t.untilMs, lastTriggerJson(t), t.jobId, atMs);
  }
}
