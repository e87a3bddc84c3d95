/**
 * The one file that imports `pg`: a pool with int8 read as number, every failure turned into an
 * EdgehiveError that says what failed and what to do, and transactions retried when PostgreSQL
 * breaks a deadlock or a serialization conflict between hub processes.
 */
import pg from 'pg';
import type { PoolClient, QueryResult, QueryResultRow } from 'pg';
import type { Logger } from '../../shared/log/logger.ts';
import { EdgehiveError } from '../../shared/errors/index.ts';

export type { PoolClient };

export interface PgDbOptions {
  url: string;
  poolSize: number;
  connectTimeoutMs: number;
  logger?: Logger;
}

const INT8 = 20;
const NUMERIC = 1700;
/** SQLSTATEs after which the whole transaction may simply run again. */
const RETRYABLE = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 4;
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH',
  '28P01', '28000', '3D000', '57P01', '57P02', '57P03', '53300']);

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable store.url)';
  }
}

/** Turns whatever `pg` threw into an EdgehiveError; EdgehiveErrors pass through. */
export function storeError(what: string, where: string, e: unknown): EdgehiveError {
  if (e instanceof EdgehiveError) return e;
  const err = e as Error & { code?: string };
  const code = err.code;
  const reason = err.message || code || String(e);
  if ((code !== undefined && (UNREACHABLE.has(code) || code.startsWith('08'))) || /timeout exceeded when trying to connect|Connection terminated/i.test(reason)) {
    return new EdgehiveError('EH_STORE_FAILED', `cannot reach PostgreSQL at ${where} (${reason}) while ${what}: check EDGEHIVE_TEST_PG_URL / store.url, the credentials, and that the server is running`, { code }, { cause: e });
  }
  return new EdgehiveError('EH_STORE_FAILED', `PostgreSQL store: ${what} failed: ${reason}${code ? ` (SQLSTATE ${code})` : ''}; see the PostgreSQL server log`, { code }, { cause: e });
}

export class PgDb {
  readonly where: string;
  readonly #pool: pg.Pool;
  #ended = false;

  constructor(opts: PgDbOptions) {
    this.where = redactUrl(opts.url);
    this.#pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolSize,
      connectionTimeoutMillis: opts.connectTimeoutMs,
      types: { getTypeParser: ((oid: number, format?: string) => (oid === INT8 || oid === NUMERIC) && format !== 'binary' ? Number : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser },
    });
    // An idle connection dropped by the server must not crash the hub; the next query reconnects.
    this.#pool.on('error', (e) => opts.logger?.warn({ err: e, store: this.where }, 'PostgreSQL connection lost; it will reconnect on next use'));
  }

  async query<R extends QueryResultRow>(what: string, sql: string, params?: unknown[]): Promise<QueryResult<R>> {
    try {
      return await this.#pool.query<R>(sql, params);
    } catch (e) {
      throw storeError(what, this.where, e);
    }
  }

  /** One connection for `fn`, outside any transaction. */
  async withClient<T>(what: string, fn: (c: PoolClient) => Promise<T>): Promise<T> {
    let c: PoolClient;
    try {
      c = await this.#pool.connect();
    } catch (e) {
      throw storeError(what, this.where, e);
    }
    let broken = false;
    try {
      return await fn(c);
    } catch (e) {
      // A server error (SQLSTATE) leaves the connection usable; anything else may not have.
      const code = (e as { code?: unknown }).code;
      broken = !(e instanceof EdgehiveError) && !(typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code));
      throw storeError(what, this.where, e);
    } finally {
      c.release(broken);
    }
  }

  /** Runs `fn` in BEGIN ... COMMIT; again from the start after a deadlock or serialization failure. */
  async tx<T>(what: string, fn: (c: PoolClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.withClient(what, async (c) => {
          await c.query('BEGIN');
          try {
            const out = await fn(c);
            await c.query('COMMIT');
            return out;
          } catch (e) {
            await c.query('ROLLBACK').catch(() => undefined);
            throw e;
          }
        });
      } catch (e) {
        const code = (e as EdgehiveError).details?.code;
        if (attempt >= MAX_ATTEMPTS || typeof code !== 'string' || !RETRYABLE.has(code)) throw e;
      }
    }
  }

  async end(): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    await this.#pool.end();
  }
}
