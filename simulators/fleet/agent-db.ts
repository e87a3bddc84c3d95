/**
 * Reads an agent's buffer file read-only from outside the agent (a child process or a stopped
 * agent): per-stream last sequence number and the outbox backlog. Table layout: edge-agent's
 * buffer/schema.ts (outbox, stream_state).
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';

export interface AgentDbState {
  lastSeq: Record<string, number>;
  lastTs: Record<string, number | null>;
  dropped: Record<string, number>;
  outboxRecords: number;
  outboxReadings: number;
}

export function readAgentDb(path: string): AgentDbState | null {
  if (!existsSync(path)) return null;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 2000');
    const out: AgentDbState = { lastSeq: {}, lastTs: {}, dropped: {}, outboxRecords: 0, outboxReadings: 0 };
    const states = db.prepare('SELECT stream, last_seq, last_ts, dropped_total FROM stream_state').all() as Array<{ stream: string; last_seq: number; last_ts: number | null; dropped_total: number }>;
    for (const s of states) {
      out.lastSeq[s.stream] = s.last_seq;
      out.lastTs[s.stream] = s.last_ts;
      out.dropped[s.stream] = s.dropped_total;
    }
    const t = db.prepare(`SELECT count(*) AS records,
      coalesce(sum(CASE WHEN kind = 'telemetry' THEN seq_to - seq_from + 1 ELSE 0 END), 0) AS readings FROM outbox`).get() as { records: number; readings: number };
    out.outboxRecords = t.records;
    out.outboxReadings = t.readings;
    return out;
  } catch (e) {
    // A database the agent has not initialised yet reads as "no state".
    if (/no such table/.test((e as Error).message)) return null;
    throw e;
  } finally {
    db.close();
  }
}
