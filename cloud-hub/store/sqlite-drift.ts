/**
 * DriftStore on the embedded SQLite database. A resent report hits the primary key and is
 * ignored (INSERT OR IGNORE), which is what lets the ingest ack duplicates like new reports.
 */
import type Database from 'better-sqlite3';
import { EdgehiveError } from '../../shared/errors/index.ts';
import { DRIFT_COLUMNS, driftValues, toDriftRow, type DriftQuery, type DriftRow, type DriftStore, type DriftWriteResult } from './drift-store.ts';

/** Part of schema version 4 (sqlite-schema.ts). */
export const SQLITE_DRIFT_SQL = `
CREATE TABLE IF NOT EXISTS drift (
  device            TEXT NOT NULL,
  seq               INTEGER NOT NULL,
  ts_ms             INTEGER NOT NULL,
  received_ms       INTEGER NOT NULL,
  model             TEXT NOT NULL,
  model_version     TEXT NOT NULL,
  feature           TEXT NOT NULL,      -- '' for a report with no per-feature rows
  psi               REAL NOT NULL,
  ks                REAL NOT NULL,
  missing_rate      REAL NOT NULL,
  out_of_range_rate REAL NOT NULL,
  stuck             INTEGER NOT NULL,
  samples           INTEGER NOT NULL,
  output_js         REAL NOT NULL,
  alarm             INTEGER NOT NULL,
  PRIMARY KEY (device, seq, feature)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS drift_by_time ON drift (ts_ms);
CREATE INDEX IF NOT EXISTS drift_by_device ON drift (device, ts_ms);
CREATE INDEX IF NOT EXISTS drift_by_feature ON drift (feature, ts_ms);
`;

export class SqliteDriftStore implements DriftStore {
  readonly #db: Database.Database;
  readonly #insert: Database.Statement;
  readonly #put: (rows: readonly DriftRow[]) => DriftWriteResult;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#insert = db.prepare(`INSERT OR IGNORE INTO drift (${DRIFT_COLUMNS.join(', ')}) VALUES (${DRIFT_COLUMNS.map(() => '?').join(', ')})`);
    this.#put = db.transaction((rows: readonly DriftRow[]) => {
      let inserted = 0;
      for (const r of rows) inserted += this.#insert.run(...driftValues(r, (b) => (b ? 1 : 0))).changes;
      return { inserted, duplicates: rows.length - inserted };
    });
  }

  async putDriftReports(rows: readonly DriftRow[]): Promise<DriftWriteResult> {
    if (rows.length === 0) return { inserted: 0, duplicates: 0 };
    try {
      return this.#put(rows);
    } catch (e) {
      throw new EdgehiveError('EH_STORE_FAILED', `storing ${rows.length} drift rows failed: ${(e as Error).message}`, undefined, { cause: e });
    }
  }

  async queryDrift(q: DriftQuery): Promise<DriftRow[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.group !== undefined) { where.push('d.grp = ?'); args.push(q.group); }
    if (q.device !== undefined) { where.push('r.device = ?'); args.push(q.device); }
    if (q.feature !== undefined) { where.push('r.feature = ?'); args.push(q.feature); }
    if (q.model !== undefined) { where.push('r.model = ?'); args.push(q.model); }
    if (q.fromMs !== undefined) { where.push('r.ts_ms >= ?'); args.push(q.fromMs); }
    if (q.toMs !== undefined) { where.push('r.ts_ms <= ?'); args.push(q.toMs); }
    // The group is the device's current one: a join, so regrouping a device regroups its history.
    const join = q.group !== undefined ? 'JOIN devices d ON d.id = r.device' : '';
    const sql = `SELECT r.* FROM drift r ${join} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY r.ts_ms DESC, r.device, r.seq DESC, r.feature LIMIT ?`;
    args.push(q.limit);
    return (this.#db.prepare(sql).all(...args) as Array<Record<string, unknown>>).map(toDriftRow);
  }
}
