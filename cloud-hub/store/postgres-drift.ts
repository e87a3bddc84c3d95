/**
 * DriftStore on PostgreSQL. Rows travel as arrays in one INSERT ... SELECT FROM unnest, and ON
 * CONFLICT DO NOTHING makes a resent report (or two hub processes handed the same one) a no-op.
 */
import { DRIFT_COLUMNS, toDriftRow, type DriftQuery, type DriftRow, type DriftStore, type DriftWriteResult } from './drift-store.ts';
import type { PgDb } from './postgres-db.ts';

/** Migration 4 of postgres-schema.ts. Never edit once shipped. */
export const postgresDriftMigration = (s: string): string => `
CREATE TABLE ${s}.drift (
  device            text NOT NULL,
  seq               int8 NOT NULL,
  ts_ms             int8 NOT NULL,
  received_ms       int8 NOT NULL,
  model             text NOT NULL,
  model_version     text NOT NULL,
  feature           text NOT NULL,     -- '' for a report with no per-feature rows
  psi               float8 NOT NULL,
  ks                float8 NOT NULL,
  missing_rate      float8 NOT NULL,
  out_of_range_rate float8 NOT NULL,
  stuck             boolean NOT NULL,
  samples           int8 NOT NULL,
  output_js         float8 NOT NULL,
  alarm             boolean NOT NULL,
  PRIMARY KEY (device, seq, feature)
);
CREATE INDEX drift_by_time ON ${s}.drift (ts_ms);
CREATE INDEX drift_by_device ON ${s}.drift (device, ts_ms);
CREATE INDEX drift_by_feature ON ${s}.drift (feature, ts_ms);`;

const TYPES = ['text', 'int8', 'int8', 'int8', 'text', 'text', 'text', 'float8', 'float8', 'float8', 'float8', 'bool', 'int8', 'float8', 'bool'];

export class PostgresDriftStore implements DriftStore {
  readonly #db: () => PgDb;
  readonly #s: string;
  readonly #insert: string;

  /** `db` is asked on each call, so the store can be closed and reopened underneath. */
  constructor(db: () => PgDb, quotedSchema: string) {
    this.#db = db;
    this.#s = quotedSchema;
    this.#insert = `INSERT INTO ${quotedSchema}.drift (${DRIFT_COLUMNS.join(', ')})
      SELECT * FROM unnest(${TYPES.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})
      ON CONFLICT (device, seq, feature) DO NOTHING`;
  }

  async putDriftReports(rows: readonly DriftRow[]): Promise<DriftWriteResult> {
    if (rows.length === 0) return { inserted: 0, duplicates: 0 };
    // Two copies of one row in a single INSERT would make ON CONFLICT fail ("cannot affect row a
    // second time"): keep the first of each key, count the rest as duplicates.
    const seen = new Set<string>();
    const unique = rows.filter((r) => {
      const k = `${r.device}\u0000${r.seq}\u0000${r.feature}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    const cols = [
      unique.map((r) => r.device), unique.map((r) => r.seq), unique.map((r) => r.tsMs), unique.map((r) => r.receivedMs),
      unique.map((r) => r.model), unique.map((r) => r.modelVersion), unique.map((r) => r.feature), unique.map((r) => r.psi),
      unique.map((r) => r.ks), unique.map((r) => r.missingRate), unique.map((r) => r.outOfRangeRate), unique.map((r) => r.stuck),
      unique.map((r) => r.samples), unique.map((r) => r.outputJs), unique.map((r) => r.alarm),
    ];
    const r = await this.#db().query('storing drift reports', this.#insert, cols);
    const inserted = r.rowCount ?? 0;
    return { inserted, duplicates: rows.length - inserted };
  }

  async queryDrift(q: DriftQuery): Promise<DriftRow[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, v: unknown): void => { args.push(v); where.push(sql.replace('?', `$${args.length}`)); };
    if (q.group !== undefined) add('d.grp = ?', q.group);
    if (q.device !== undefined) add('r.device = ?', q.device);
    if (q.feature !== undefined) add('r.feature = ?', q.feature);
    if (q.model !== undefined) add('r.model = ?', q.model);
    if (q.fromMs !== undefined) add('r.ts_ms >= ?', Math.ceil(q.fromMs));
    if (q.toMs !== undefined) add('r.ts_ms <= ?', Math.floor(q.toMs));
    // The group is the device's current one: a join, so regrouping a device regroups its history.
    const join = q.group !== undefined ? `JOIN ${this.#s}.devices d ON d.id = r.device` : '';
    args.push(q.limit);
    const { rows } = await this.#db().query<Record<string, unknown>>('querying drift reports', `SELECT r.* FROM ${this.#s}.drift r ${join}
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.ts_ms DESC, r.device, r.seq DESC, r.feature LIMIT $${args.length}`, args);
    return rows.map(toDriftRow);
  }
}
