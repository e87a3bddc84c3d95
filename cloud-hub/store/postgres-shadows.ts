/**
 * ShadowStore on PostgreSQL, and migration 6: the shadow columns of the twin tables and the
 * shadow_evaluations table. IF NOT EXISTS throughout, so a schema that already has them (a
 * half-applied manual fix) migrates all the same.
 */
import type { PgDb } from './postgres-db.ts';
import type { ShadowEvaluationRecord, ShadowState, ShadowStore } from './shadow-store.ts';

/** Migration 6 of postgres-schema.ts. Never edit once shipped. */
export const postgresShadowsMigration = (s: string): string => `
ALTER TABLE ${s}.desired ADD COLUMN IF NOT EXISTS shadow_bundle_id text;
ALTER TABLE ${s}.reported ADD COLUMN IF NOT EXISTS shadow jsonb;
CREATE TABLE IF NOT EXISTS ${s}.shadow_evaluations (
  id         text PRIMARY KEY,
  model      text NOT NULL,
  state      text NOT NULL CHECK (state IN ('running', 'promoted', 'retired', 'refused', 'stopped')),
  started_ms int8 NOT NULL,
  updated_ms int8 NOT NULL,
  record     jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS shadow_evaluations_by_model ON ${s}.shadow_evaluations (model, started_ms);`;

export class PostgresShadowStore implements ShadowStore {
  readonly #db: () => PgDb;
  readonly #s: string;

  /** `db` is asked on each call, so the store can be closed and reopened underneath. */
  constructor(db: () => PgDb, quotedSchema: string) {
    this.#db = db;
    this.#s = quotedSchema;
  }

  async put(r: ShadowEvaluationRecord): Promise<void> {
    await this.#db().query('storing a shadow evaluation', `INSERT INTO ${this.#s}.shadow_evaluations (id, model, state, started_ms, updated_ms, record)
      VALUES ($1, $2, $3, $4, $5, $6::jsonb)
      ON CONFLICT (id) DO UPDATE SET state = excluded.state, updated_ms = excluded.updated_ms, record = excluded.record`,
    [r.id, r.model, r.state, r.startedMs, r.updatedMs, JSON.stringify(r)]);
  }

  async get(id: string): Promise<ShadowEvaluationRecord | null> {
    const { rows } = await this.#db().query<{ record: ShadowEvaluationRecord }>('reading a shadow evaluation',
      `SELECT record FROM ${this.#s}.shadow_evaluations WHERE id = $1`, [id]);
    return rows[0]?.record ?? null;
  }

  async list(q: { model?: string; states?: readonly ShadowState[]; limit?: number } = {}): Promise<ShadowEvaluationRecord[]> {
    const { rows } = await this.#db().query<{ record: ShadowEvaluationRecord }>('listing shadow evaluations',
      `SELECT record FROM ${this.#s}.shadow_evaluations WHERE ($1::text IS NULL OR model = $1) AND ($2::text[] IS NULL OR state = ANY($2::text[]))
      ORDER BY started_ms DESC, id DESC LIMIT $3`, [q.model ?? null, q.states ? [...q.states] : null, q.limit ?? null]);
    return rows.map((r) => r.record);
  }
}
