/**
 * The agent's SQLite schema. One table of outbox records (telemetry chunks and non-telemetry
 * records alike, each with its stream's sequence range) and one row of state per stream.
 * Rows leave `outbox` only when the hub acks them or, for telemetry alone, when the size bound
 * forces the oldest out (counted in `stream_state.dropped_total`).
 */
export const SCHEMA_VERSION = 1;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS outbox (
  id INTEGER PRIMARY KEY,
  stream TEXT NOT NULL,
  seq_from INTEGER NOT NULL,
  seq_to INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('telemetry', 'record')),
  payload BLOB NOT NULL,
  bytes INTEGER NOT NULL,
  created INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS outbox_stream_seq ON outbox (stream, seq_from);
CREATE INDEX IF NOT EXISTS outbox_kind_id ON outbox (kind, id);
CREATE TABLE IF NOT EXISTS stream_state (
  stream TEXT PRIMARY KEY,
  last_seq INTEGER NOT NULL DEFAULT 0,
  last_ts REAL,
  dropped_total INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
`;

/** Sizes that follow from buffer.maxBytes; see README "Size bound". */
export interface SizePlan {
  pageSize: number;
  /** Pages the main file may hold (PRAGMA max_page_count). */
  maxPages: number;
  /** Bytes kept for the WAL beside the main file. */
  walBudget: number;
  /** Pages after which SQLite checkpoints the WAL by itself. */
  autoCheckpointPages: number;
  /** Largest telemetry chunk payload; bigger chunks are split so one transaction fits the WAL budget. */
  maxChunkBytes: number;
  /** Fraction of the main file telemetry may fill before the oldest is dropped. */
  highWater: number;
}

export function planSizes(maxBytes: number, pageSize = 4096): SizePlan {
  const walBudget = Math.min(16 * 1024 * 1024, Math.max(64 * 1024, Math.floor(maxBytes / 8)));
  const maxPages = Math.max(16, Math.floor((maxBytes - walBudget) / pageSize));
  return {
    pageSize,
    maxPages,
    walBudget,
    autoCheckpointPages: Math.max(2, Math.floor(walBudget / 4 / pageSize)),
    maxChunkBytes: Math.max(pageSize, Math.floor(walBudget / 4)),
    highWater: 0.9,
  };
}
