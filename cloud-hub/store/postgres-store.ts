/**
 * The Store on PostgreSQL, for hubs past one machine: several hub processes may share one
 * database. Nothing connects until init(); every table lives in the schema named by `schema`.
 * Telemetry lives in postgres-telemetry.ts, the schema in postgres-schema.ts, `pg` itself only in
 * postgres-db.ts. Decisions: docs/decisions/0002-store-postgres.md.
 */
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { Logger } from '../../shared/log/logger.ts';
import type { DriftPolicyStore } from './drift-policy-store.ts';
import type { DriftStore } from './drift-store.ts';
import type { ModelStore } from './model-store.ts';
import type { RolloutStore } from './rollout-store.ts';
import { PgDb } from './postgres-db.ts';
import { PostgresDriftPolicyStore } from './postgres-drift-policies.ts';
import { PostgresShadowStore } from './postgres-shadows.ts';
import type { ShadowStore } from './shadow-store.ts';
import { PostgresDriftStore } from './postgres-drift.ts';
import { PostgresModelStore } from './postgres-models.ts';
import { PostgresRolloutStore } from './postgres-rollouts.ts';
import { migrate, quoteSchema } from './postgres-schema.ts';
import { PostgresTelemetry } from './postgres-telemetry.ts';
import type {
  AuditEntry, DeviceQuery, DeviceRecord, DeviceStatusUpdate, NewDevice, Role, Store, TelemetryPage, TelemetryQuery,
  TelemetryWrite, TelemetryWriteResult, TokenRecord,
} from './types.ts';

export interface PostgresStoreOptions {
  /** postgres://user:password@host:port/database — the hub config's store.url. */
  url: string;
  /** Schema that holds the tables, created when missing; lower-case letters, digits, _. Default 'public'. */
  schema?: string;
  /** Connections in the pool. Default 10. */
  poolSize?: number;
  /** How long to wait for a connection before failing. Default 10 s. */
  connectTimeoutMs?: number;
  /** Where a connection dropped while idle is reported. */
  logger?: Logger;
}

interface DeviceRow {
  id: string; grp: string; profile: string; public_key: Buffer; created_at_ms: number; online: boolean;
  last_seen_ms: number | null; agent_version: string | null; active_bundle: string | null;
  dropped: number; backlog: number; readings: number;
}

export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  readonly #opts: PostgresStoreOptions;
  readonly #schema: string;
  readonly #s: string;
  #db: PgDb | null = null;
  #telemetry: PostgresTelemetry | null = null;
  #opening: Promise<void> | null = null;
  readonly #models: PostgresModelStore;
  readonly #rollouts: PostgresRolloutStore;
  readonly #drift: PostgresDriftStore;
  readonly #driftPolicies: PostgresDriftPolicyStore;
  readonly #shadows: PostgresShadowStore;

  constructor(opts: PostgresStoreOptions) {
    this.#opts = opts;
    this.#schema = opts.schema ?? 'public';
    this.#s = quoteSchema(this.#schema);
    this.#models = new PostgresModelStore(() => this.#d, this.#s);
    this.#rollouts = new PostgresRolloutStore(() => this.#d, this.#s);
    this.#drift = new PostgresDriftStore(() => this.#d, this.#s);
    this.#driftPolicies = new PostgresDriftPolicyStore(() => this.#d, this.#s);
    this.#shadows = new PostgresShadowStore(() => this.#d, this.#s);
  }

  get models(): ModelStore {
    return this.#models;
  }

  get rollouts(): RolloutStore {
    return this.#rollouts;
  }

  get drift(): DriftStore {
    return this.#drift;
  }

  get driftPolicies(): DriftPolicyStore {
    return this.#driftPolicies;
  }

  get shadows(): ShadowStore {
    return this.#shadows;
  }

  async init(): Promise<void> {
    if (this.#db) return;
    this.#opening ??= this.#open().finally(() => { this.#opening = null; });
    return this.#opening;
  }

  async #open(): Promise<void> {
    const db = new PgDb({ url: this.#opts.url, poolSize: this.#opts.poolSize ?? 10, connectTimeoutMs: this.#opts.connectTimeoutMs ?? 10_000, logger: this.#opts.logger });
    try {
      await db.withClient(`creating or migrating schema ${this.#schema}`, (c) => migrate(c, this.#schema));
    } catch (e) {
      await db.end().catch(() => undefined);
      throw e;
    }
    this.#db = db;
    this.#telemetry = new PostgresTelemetry(db, this.#s);
  }

  async close(): Promise<void> {
    const db = this.#db;
    this.#db = null;
    this.#telemetry = null;
    await db?.end();
  }

  get #d(): PgDb {
    if (!this.#db) throw new EdgehiveError('EH_STATE', 'PostgreSQL store is not open; call init() first');
    return this.#db;
  }

  get #t(): PostgresTelemetry {
    if (!this.#telemetry) throw new EdgehiveError('EH_STATE', 'PostgreSQL store is not open; call init() first');
    return this.#telemetry;
  }

  /** Devices with what their streams add up to; `backlog` is that of the batch received last. */
  #deviceSelect(where: string): string {
    return `SELECT d.id, d.grp, d.profile, d.public_key, d.created_at_ms, d.online, d.agent_version, d.active_bundle,
      coalesce(st.dropped, 0) AS dropped, coalesce(st.readings, 0) AS readings, coalesce(st.backlog, 0) AS backlog,
      greatest(d.last_seen_ms, st.last_rx_ms) AS last_seen_ms
      FROM ${this.#s}.devices d LEFT JOIN LATERAL (
        SELECT sum(dropped_total) AS dropped, sum(readings) AS readings, max(last_rx_ms) AS last_rx_ms,
          (array_agg(backlog ORDER BY last_rx_ms DESC NULLS LAST, id DESC))[1] AS backlog
        FROM ${this.#s}.streams WHERE device = d.id) st ON true
      ${where}`;
  }

  async createDevice(d: NewDevice): Promise<DeviceRecord> {
    await this.#d.query('provisioning a device', `INSERT INTO ${this.#s}.devices (id, grp, profile, public_key, created_at_ms)
      VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`, [d.id, d.group, d.profile, Buffer.from(d.publicKey), d.createdAtMs]);
    const existing = (await this.getDevice(d.id))!;
    if (Buffer.compare(Buffer.from(existing.publicKey), Buffer.from(d.publicKey)) !== 0) {
      throw new EdgehiveError('EH_CONFLICT', `device ${d.id} is already provisioned with another public key; pick another id or remove the old device first`, { id: d.id });
    }
    return existing;
  }

  async getDevice(id: string): Promise<DeviceRecord | null> {
    const { rows } = await this.#d.query<DeviceRow>('reading a device', this.#deviceSelect('WHERE d.id = $1'), [id]);
    return rows[0] ? toDevice(rows[0]) : null;
  }

  async listDevices(q: DeviceQuery = {}): Promise<DeviceRecord[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const arg = (v: unknown) => { args.push(v); return `$${args.length}`; };
    if (q.group !== undefined) where.push(`d.grp = ${arg(q.group)}`);
    if (q.profile !== undefined) where.push(`d.profile = ${arg(q.profile)}`);
    if (q.online !== undefined) where.push(`d.online = ${arg(q.online)}`);
    const sql = `${this.#deviceSelect(where.length ? `WHERE ${where.join(' AND ')}` : '')}
      ORDER BY d.id LIMIT ${arg(q.limit ?? null)} OFFSET ${arg(q.offset ?? 0)}`;
    const { rows } = await this.#d.query<DeviceRow>('listing devices', sql, args);
    return rows.map(toDevice);
  }

  async setDeviceStatus(id: string, s: DeviceStatusUpdate): Promise<void> {
    await this.#d.query('recording device status', `UPDATE ${this.#s}.devices SET online = $2, last_seen_ms = greatest(last_seen_ms, $3),
      agent_version = coalesce($4, agent_version), profile = coalesce($5, profile), active_bundle = coalesce($6, active_bundle) WHERE id = $1`,
    [id, s.online, s.atMs, s.agentVersion ?? null, s.profile ?? null, s.activeBundle ?? null]);
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
    const { rows } = await this.#d.query<{ n: number }>('counting readings',
      `SELECT coalesce(sum(readings), 0) AS n FROM ${this.#s}.streams WHERE $1::text IS NULL OR device = $1`, [device ?? null]);
    return rows[0]?.n ?? 0;
  }

  async createToken(t: TokenRecord): Promise<void> {
    await this.#d.query('creating a token', `INSERT INTO ${this.#s}.tokens (id, name, role, hash, created_at_ms) VALUES ($1, $2, $3, $4, $5)`,
      [t.id, t.name, t.role, t.hash, t.createdAtMs]).catch((e: EdgehiveError) => {
      if (e.details?.code !== '23505') throw e;
      throw new EdgehiveError('EH_CONFLICT', `a token with id ${t.id} or the same secret already exists; create it with a new id and secret`, { id: t.id }, { cause: e });
    });
  }

  async findTokenByHash(hash: string): Promise<TokenRecord | null> {
    const { rows } = await this.#d.query<{ id: string; name: string; role: Role; hash: string; created_at_ms: number }>('finding a token',
      `SELECT id, name, role, hash, created_at_ms FROM ${this.#s}.tokens WHERE hash = $1`, [hash]);
    const r = rows[0];
    return r ? { id: r.id, name: r.name, role: r.role, hash: r.hash, createdAtMs: r.created_at_ms } : null;
  }

  async countTokens(): Promise<number> {
    const { rows } = await this.#d.query<{ n: number }>('counting tokens', `SELECT count(*) AS n FROM ${this.#s}.tokens`);
    return rows[0]?.n ?? 0;
  }

  async appendAudit(e: AuditEntry): Promise<void> {
    await this.#d.query('appending to the audit log', `INSERT INTO ${this.#s}.audit (at_ms, actor, action, target, details) VALUES ($1, $2, $3, $4, $5)`,
      [e.atMs, e.actor, e.action, e.target, e.details === undefined ? null : JSON.stringify(e.details)]);
  }

  /** The newest `limit` entries, newest first. */
  async listAudit(limit: number): Promise<AuditEntry[]> {
    const { rows } = await this.#d.query<{ at_ms: number; actor: string; action: string; target: string; details: Record<string, unknown> | null }>(
      'reading the audit log', `SELECT at_ms, actor, action, target, details FROM ${this.#s}.audit ORDER BY id DESC LIMIT $1`, [Math.max(0, Math.floor(limit))]);
    return rows.map((r) => ({ atMs: r.at_ms, actor: r.actor, action: r.action, target: r.target, ...(r.details === null ? {} : { details: r.details }) }));
  }
}

function toDevice(r: DeviceRow): DeviceRecord {
  return {
    id: r.id,
    group: r.grp,
    profile: r.profile,
    publicKey: new Uint8Array(r.public_key),
    createdAtMs: r.created_at_ms,
    online: r.online,
    lastSeenMs: r.last_seen_ms,
    agentVersion: r.agent_version,
    activeBundle: r.active_bundle,
    droppedReadings: r.dropped,
    backlog: r.backlog,
    readingsStored: r.readings,
  };
}
