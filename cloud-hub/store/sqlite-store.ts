/**
 * The embedded Store: one SQLite file through better-sqlite3 (WAL, synchronous=NORMAL). The
 * database is opened in init(), never at import. Telemetry lives in sqlite-telemetry.ts.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { DriftPolicyStore } from './drift-policy-store.ts';
import type { DriftStore } from './drift-store.ts';
import type { ModelStore } from './model-store.ts';
import { SqliteDriftPolicyStore } from './sqlite-drift-policies.ts';
import { SqliteDriftStore } from './sqlite-drift.ts';
import { SqliteModelStore } from './sqlite-models.ts';
import type { RolloutStore } from './rollout-store.ts';
import { SqliteRolloutStore } from './sqlite-rollouts.ts';
import { migrateSqliteShadows, SqliteShadowStore } from './sqlite-shadows.ts';
import type { ShadowStore } from './shadow-store.ts';
import { SCHEMA_SQL, SCHEMA_VERSION } from './sqlite-schema.ts';
import { SqliteTelemetry } from './sqlite-telemetry.ts';
import type {
  AuditEntry, DeviceQuery, DeviceRecord, DeviceStatusUpdate, NewDevice, Role, Store, TelemetryPage, TelemetryQuery,
  TelemetryWrite, TelemetryWriteResult, TokenRecord,
} from './types.ts';

interface DeviceRow {
  id: string; grp: string; profile: string; public_key: Buffer; created_at_ms: number; online: number;
  last_seen_ms: number | null; agent_version: string | null; active_bundle: string | null;
  dropped: number; backlog: number; readings: number; last_rx_ms: number | null;
}

const DEVICE_SELECT = `SELECT d.*, coalesce(sum(s.dropped_total), 0) AS dropped,
  coalesce(sum(s.readings), 0) AS readings, max(s.last_rx_ms) AS last_rx_ms
  FROM devices d LEFT JOIN streams s ON s.device = d.id`;

export interface SqliteStoreOptions {
  path: string;
  /** Milliseconds a writer waits for another connection's lock. */
  busyTimeoutMs?: number;
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly #opts: SqliteStoreOptions;
  #db: Database.Database | null = null;
  #telemetry: SqliteTelemetry | null = null;
  #models: SqliteModelStore | null = null;
  #rollouts: SqliteRolloutStore | null = null;
  #drift: SqliteDriftStore | null = null;
  #driftPolicies: SqliteDriftPolicyStore | null = null;
  #shadows: SqliteShadowStore | null = null;
  readonly #statements = new Map<string, Database.Statement>();

  constructor(opts: SqliteStoreOptions) {
    this.#opts = opts;
  }

  async init(): Promise<void> {
    if (this.#db) return;
    if (this.#opts.path !== ':memory:') mkdirSync(dirname(this.#opts.path), { recursive: true });
    const db = new Database(this.#opts.path);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma(`busy_timeout = ${Math.floor(this.#opts.busyTimeoutMs ?? 5000)}`);
      db.pragma('foreign_keys = ON');
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > SCHEMA_VERSION) {
        throw new EdgehiveError('EH_STORE_FAILED', `${this.#opts.path} has schema version ${version}, newer than this hub's ${SCHEMA_VERSION}; upgrade the hub`);
      }
      db.exec(SCHEMA_SQL);
      migrateSqliteShadows(db);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    } catch (e) {
      db.close();
      throw e;
    }
    this.#db = db;
    this.#telemetry = new SqliteTelemetry(db);
    this.#models = new SqliteModelStore(db);
    this.#rollouts = new SqliteRolloutStore(db);
    this.#drift = new SqliteDriftStore(db);
    this.#driftPolicies = new SqliteDriftPolicyStore(db);
    this.#shadows = new SqliteShadowStore(db);
  }

  async close(): Promise<void> {
    this.#telemetry = null;
    this.#models = null;
    this.#rollouts = null;
    this.#drift = null;
    this.#driftPolicies = null;
    this.#shadows = null;
    this.#statements.clear();
    this.#db?.close();
    this.#db = null;
  }

  get #d(): Database.Database {
    if (!this.#db) throw new EdgehiveError('EH_STATE', 'SQLite store is not open; call init() first');
    return this.#db;
  }

  /** Prepared once per SQL text and kept for the life of the connection. */
  #prep<R = unknown>(sql: string): Database.Statement<unknown[], R> {
    let st = this.#statements.get(sql);
    if (!st) {
      st = this.#d.prepare(sql);
      this.#statements.set(sql, st);
    }
    return st as Database.Statement<unknown[], R>;
  }

  get #t(): SqliteTelemetry {
    if (!this.#telemetry) throw new EdgehiveError('EH_STATE', 'SQLite store is not open; call init() first');
    return this.#telemetry;
  }

  get models(): ModelStore {
    if (!this.#models) throw new EdgehiveError('EH_STATE', 'SQLite store is not open; call init() first');
    return this.#models;
  }

  get rollouts(): RolloutStore {
    if (!this.#rollouts) throw new EdgehiveError('EH_STATE', 'SQLite store is not open; call init() first');
    return this.#rollouts;
  }

  get drift(): DriftStore {
    if (!this.#drift) throw new EdgehiveError('EH_STATE', 'SQLite store is not open; call init() first');
    return this.#drift;
  }

  get driftPolicies(): DriftPolicyStore {
    if (!this.#driftPolicies) throw new EdgehiveError('EH_STATE', 'SQLite store is not open; call init() first');
    return this.#driftPolicies;
  }

  get shadows(): ShadowStore {
    if (!this.#shadows) throw new EdgehiveError('EH_STATE', 'SQLite store is not open; call init() first');
    return this.#shadows;
  }

  async createDevice(d: NewDevice): Promise<DeviceRecord> {
    const db = this.#d;
    return db.transaction(() => {
      const existing = this.#getDevice(d.id);
      if (existing) {
        if (Buffer.compare(Buffer.from(existing.publicKey), Buffer.from(d.publicKey)) !== 0) {
          throw new EdgehiveError('EH_CONFLICT', `device ${d.id} is already provisioned with another public key; pick another id or remove the old device first`, { id: d.id });
        }
        return existing;
      }
      this.#prep('INSERT INTO devices (id, grp, profile, public_key, created_at_ms) VALUES (?, ?, ?, ?, ?)')
        .run(d.id, d.group, d.profile, Buffer.from(d.publicKey), d.createdAtMs);
      return this.#getDevice(d.id)!;
    })();
  }

  async getDevice(id: string): Promise<DeviceRecord | null> {
    return this.#getDevice(id);
  }

  #getDevice(id: string): DeviceRecord | null {
    const row = this.#prep<DeviceRow>(`${DEVICE_SELECT} WHERE d.id = ? GROUP BY d.id`).get(id);
    return row ? toDevice(row) : null;
  }

  async listDevices(q: DeviceQuery = {}): Promise<DeviceRecord[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.group !== undefined) { where.push('d.grp = ?'); args.push(q.group); }
    if (q.profile !== undefined) { where.push('d.profile = ?'); args.push(q.profile); }
    if (q.online !== undefined) { where.push('d.online = ?'); args.push(q.online ? 1 : 0); }
    const sql = `${DEVICE_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} GROUP BY d.id ORDER BY d.id LIMIT ? OFFSET ?`;
    args.push(q.limit ?? -1, q.offset ?? 0);
    return (this.#prep(sql).all(...args) as DeviceRow[]).map(toDevice);
  }

  async setDeviceStatus(id: string, s: DeviceStatusUpdate): Promise<void> {
    this.#prep(`UPDATE devices SET online = ?, last_seen_ms = max(coalesce(last_seen_ms, 0), ?),
      agent_version = coalesce(?, agent_version), profile = coalesce(?, profile), active_bundle = coalesce(?, active_bundle) WHERE id = ?`)
      .run(s.online ? 1 : 0, s.atMs, s.agentVersion ?? null, s.profile ?? null, s.activeBundle ?? null, id);
  }

  async writeTelemetry(batches: readonly TelemetryWrite[]): Promise<TelemetryWriteResult[]> {
    return this.#t.write(batches);
  }

  async queryTelemetry(device: string, q: TelemetryQuery): Promise<TelemetryPage> {
    return this.#t.query(device, q);
  }

  async highestSeq(device: string, stream: string): Promise<number> {
    return this.#t.highestSeq(device, stream);
  }

  async countReadings(device?: string): Promise<number> {
    const row = device === undefined
      ? this.#prep<{ n: number }>('SELECT coalesce(sum(readings), 0) AS n FROM streams').get()
      : this.#prep<{ n: number }>('SELECT coalesce(sum(readings), 0) AS n FROM streams WHERE device = ?').get(device);
    return row?.n ?? 0;
  }

  async createToken(t: TokenRecord): Promise<void> {
    this.#prep('INSERT INTO tokens (id, name, role, hash, created_at_ms) VALUES (?, ?, ?, ?, ?)').run(t.id, t.name, t.role, t.hash, t.createdAtMs);
  }

  async findTokenByHash(hash: string): Promise<TokenRecord | null> {
    const row = this.#prep<{ id: string; name: string; role: Role; hash: string; created_at_ms: number }>(
      'SELECT id, name, role, hash, created_at_ms FROM tokens WHERE hash = ?').get(hash);
    return row ? { id: row.id, name: row.name, role: row.role, hash: row.hash, createdAtMs: row.created_at_ms } : null;
  }

  async countTokens(): Promise<number> {
    return this.#prep<{ n: number }>('SELECT count(*) AS n FROM tokens').get()?.n ?? 0;
  }

  async appendAudit(e: AuditEntry): Promise<void> {
    this.#prep('INSERT INTO audit (at_ms, actor, action, target, details) VALUES (?, ?, ?, ?, ?)')
      .run(e.atMs, e.actor, e.action, e.target, e.details === undefined ? null : JSON.stringify(e.details));
  }

  async listAudit(limit: number): Promise<AuditEntry[]> {
    const rows = this.#prep<{ at_ms: number; actor: string; action: string; target: string; details: string | null }>(
      'SELECT at_ms, actor, action, target, details FROM audit ORDER BY id DESC LIMIT ?').all(limit);
    return rows.map((r) => ({
      atMs: r.at_ms, actor: r.actor, action: r.action, target: r.target,
      ...(r.details === null ? {} : { details: JSON.parse(r.details) as Record<string, unknown> }),
    }));
  }
}

function toDevice(r: DeviceRow): DeviceRecord {
  const seen = Math.max(r.last_seen_ms ?? 0, r.last_rx_ms ?? 0);
  return {
    id: r.id,
    group: r.grp,
    profile: r.profile,
    publicKey: new Uint8Array(r.public_key),
    createdAtMs: r.created_at_ms,
    online: r.online === 1,
    lastSeenMs: seen > 0 ? seen : null,
    agentVersion: r.agent_version,
    activeBundle: r.active_bundle,
    droppedReadings: r.dropped,
    backlog: r.backlog,
    readingsStored: r.readings,
  };
}
