/** The outbox's prepared SQL, in one place. */
import type Database from 'better-sqlite3';

export interface OutboxRow {
  id: number;
  stream: string;
  seq_from: number;
  seq_to: number;
  kind: 'telemetry' | 'record';
  payload: Uint8Array;
}

export interface StreamState { stream: string; last_seq: number; last_ts: number | null; dropped_total: number }

export interface RowMeta { id: number; stream: string; seq_from: number; seq_to: number; bytes: number }

export class Statements {
  readonly insert: Database.Statement;
  readonly saveState: Database.Statement;
  readonly allStates: Database.Statement;
  readonly totals: Database.Statement;
  readonly deleteRange: Database.Statement;
  readonly rowAt: Database.Statement;
  readonly rowsAfter: Database.Statement;
  readonly oldest: Database.Statement;
  readonly oldestTelemetry: Database.Statement;
  readonly deleteId: Database.Statement;
  readonly pageCount: Database.Statement;
  readonly freePages: Database.Statement;

  constructor(db: Database.Database) {
    this.insert = db.prepare('INSERT INTO outbox (stream, seq_from, seq_to, kind, payload, bytes, created) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.saveState = db.prepare(`INSERT INTO stream_state (stream, last_seq, last_ts, dropped_total) VALUES (?, ?, ?, ?)
      ON CONFLICT (stream) DO UPDATE SET last_seq = excluded.last_seq, last_ts = excluded.last_ts, dropped_total = excluded.dropped_total`);
    this.allStates = db.prepare('SELECT stream, last_seq, last_ts, dropped_total FROM stream_state');
    this.totals = db.prepare(`SELECT count(*) AS records, coalesce(sum(bytes), 0) AS bytes,
      coalesce(sum(CASE WHEN kind = 'telemetry' THEN seq_to - seq_from + 1 ELSE 0 END), 0) AS readings FROM outbox`);
    this.deleteRange = db.prepare('DELETE FROM outbox WHERE stream = ? AND seq_from >= ? AND seq_to <= ? RETURNING seq_from, seq_to, kind, bytes');
    this.rowAt = db.prepare('SELECT id, stream, seq_from, seq_to, kind, payload FROM outbox WHERE stream = ? AND seq_from <= ? ORDER BY seq_from DESC LIMIT 1');
    this.rowsAfter = db.prepare('SELECT id, stream, seq_from, seq_to, kind, payload FROM outbox WHERE stream = ? AND seq_from > ? ORDER BY seq_from LIMIT ?');
    this.oldest = db.prepare('SELECT min(seq_from) AS s FROM outbox WHERE stream = ?');
    this.oldestTelemetry = db.prepare("SELECT id, stream, seq_from, seq_to, bytes FROM outbox WHERE kind = 'telemetry' ORDER BY id LIMIT ?");
    this.deleteId = db.prepare('DELETE FROM outbox WHERE id = ?');
    this.pageCount = db.prepare('PRAGMA page_count').pluck();
    this.freePages = db.prepare('PRAGMA freelist_count').pluck();
  }
}
