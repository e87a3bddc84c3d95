/**
 * ShadowStore on the embedded SQLite database, and the schema-6 changes: the shadow columns of
 * the twin tables (desired.shadow_bundle_id, reported.shadow) and the shadow_evaluations table.
 * SQLite has no ADD COLUMN IF NOT EXISTS, so the columns are added only where table_info lacks
 * them: running it twice, or on a database created with them, changes nothing.
 */
import type Database from 'better-sqlite3';
import type { ShadowEvaluationRecord, ShadowState, ShadowStore } from './shadow-store.ts';

const TABLE_SQL = `
CREATE TABLE IF NOT EXISTS shadow_evaluations (
  id         TEXT PRIMARY KEY,
  model      TEXT NOT NULL,
  state      TEXT NOT NULL CHECK (state IN ('running', 'promoted', 'retired', 'refused', 'stopped')),
  started_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL,
  record     TEXT NOT NULL              -- JSON: ShadowEvaluationRecord
);
CREATE INDEX IF NOT EXISTS shadow_evaluations_by_model ON shadow_evaluations (model, started_ms);
`;

const COLUMNS: ReadonlyArray<[table: string, column: string, type: string]> = [
  ['desired', 'shadow_bundle_id', 'TEXT'],
  ['reported', 'shadow', 'TEXT'], // JSON: ShadowStatsRecord
];

/** Part of schema version 6 (sqlite-schema.ts); idempotent. */
export function migrateSqliteShadows(db: Database.Database): void {
  for (const [table, column, type] of COLUMNS) {
    const have = (db.pragma(`table_info(${table})`) as Array<{ name: string }>).some((c) => c.name === column);
    if (!have) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
  }
  db.exec(TABLE_SQL);
}

export class SqliteShadowStore implements ShadowStore {
  readonly #put: Database.Statement;
  readonly #get: Database.Statement;
  readonly #list: Database.Statement;

  constructor(db: Database.Database) {
    this.#put = db.prepare(`INSERT INTO shadow_evaluations (id, model, state, started_ms, updated_ms, record) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET state = excluded.state, updated_ms = excluded.updated_ms, record = excluded.record`);
    this.#get = db.prepare('SELECT record FROM shadow_evaluations WHERE id = ?');
    this.#list = db.prepare(`SELECT record FROM shadow_evaluations WHERE (@model IS NULL OR model = @model)
      AND (@states IS NULL OR state IN (SELECT value FROM json_each(@states))) ORDER BY started_ms DESC, rowid DESC LIMIT @limit`);
  }

  async put(r: ShadowEvaluationRecord): Promise<void> {
    this.#put.run(r.id, r.model, r.state, r.startedMs, r.updatedMs, JSON.stringify(r));
  }

  async get(id: string): Promise<ShadowEvaluationRecord | null> {
    const row = this.#get.get(id) as { record: string } | undefined;
    return row ? JSON.parse(row.record) as ShadowEvaluationRecord : null;
  }

  async list(q: { model?: string; states?: readonly ShadowState[]; limit?: number } = {}): Promise<ShadowEvaluationRecord[]> {
    const rows = this.#list.all({ model: q.model ?? null, states: q.states ? JSON.stringify(q.states) : null, limit: q.limit ?? -1 }) as Array<{ record: string }>;
    return rows.map((r) => JSON.parse(r.record) as ShadowEvaluationRecord);
  }
}
