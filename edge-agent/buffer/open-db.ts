/**
 * Opens (or creates) the agent's SQLite file with the settings the outbox relies on: WAL,
 * synchronous=FULL by default (see buffer.synchronous), the page budget from buffer.maxBytes (max_page_count) and a bounded WAL.
 * The one file that opens better-sqlite3.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { Logger } from '../../shared/log/logger.ts';
import { SCHEMA_SQL, SCHEMA_VERSION, planSizes, type SizePlan } from './schema.ts';

export function openBufferDb(path: string, maxBytes: number, log: Logger, synchronous: 'full' | 'normal' = 'full'): { db: Database.Database; plan: SizePlan } {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma('page_size = 4096'); // takes effect on a new file only
    const plan = planSizes(maxBytes, db.pragma('page_size', { simple: true }) as number);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    db.pragma('busy_timeout = 1000'); // a reader outside (the simulator) may delay a checkpoint, briefly
    db.pragma('cache_size = -1024'); // 1 MiB: appends and acks touch few pages; a fleet runs hundreds of these
    db.pragma(`wal_autocheckpoint = ${plan.autoCheckpointPages}`);
    db.pragma(`journal_size_limit = ${plan.walBudget >> 1}`);
    db.exec(SCHEMA_SQL);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
    // SQLite keeps the current size when asked for less: the file never grows, only shrinks in use.
    const pages = db.pragma(`max_page_count = ${plan.maxPages}`, { simple: true }) as number;
    if (pages > plan.maxPages) log.warn({ pages, maxPages: plan.maxPages }, 'buffer file is larger than buffer.maxBytes now allows; the oldest telemetry will be dropped as space is needed');
    return { db, plan };
  } catch (e) {
    db.close();
    throw new EdgehiveError('EH_STORE_FAILED', `cannot open the agent buffer ${path}: ${(e as Error).message}`, undefined, { cause: e });
  }
}
