/**
 * Telemetry in PostgreSQL. Write: one transaction per call; the streams it touches are upserted
 * first (sorted, so concurrent hubs lock them in one order), then readings go in as few
 * multi-row INSERT ... ON CONFLICT DO NOTHING statements as possible, values sent as one binary
 * float8[] per statement. Each statement counts what it inserted per batch, so a resend is
 * reported as duplicates. Query: one indexed range scan per stream, merged by time.
 */
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { PgDb, PoolClient } from './postgres-db.ts';
import { planWrite, readFloat8Array, type StreamPlan, type WriteChunk } from './postgres-write-plan.ts';
import type { StoredReading, TelemetryPage, TelemetryQuery, TelemetryWrite, TelemetryWriteResult } from './types.ts';
import { remapFeatures } from './remap-features.ts';

interface StreamRow { id: number; stream: string; features: string[]; fs: number }
interface ReadingRow { stream_id: number; seq: number; ts_ms: number; fs: number; vals: Buffer }

export class PostgresTelemetry {
  readonly #db: PgDb;
  readonly #s: string;
  /** Feature sets never change once written, so ids and names are safe to cache across hubs. */
  readonly #featureSets = new Map<string, number>();
  readonly #featureNames = new Map<number, string[]>();

  constructor(db: PgDb, quotedSchema: string) {
    this.#db = db;
    this.#s = quotedSchema;
  }

  async write(batches: readonly TelemetryWrite[]): Promise<TelemetryWriteResult[]> {
    if (batches.length === 0) return [];
    const fs = await this.#featureSetIds(batches.map((b) => JSON.stringify(b.features)));
    const plan = planWrite(batches, fs);
    return this.#db.tx(`writing ${batches.length} telemetry batches`, async (c) => {
      // Counted afresh on each attempt: a transaction retried after a deadlock starts over.
      const results = batches.map((b) => ({ inserted: 0, duplicates: b.readings.length }));
      const ids = await this.#upsertStreams(c, plan.streams);
      for (const chunk of plan.chunks) {
        for (const { run, n } of await this.#insertChunk(c, chunk, ids)) {
          const r = results[chunk.runBatch[run]!]!;
          r.inserted += n;
          r.duplicates -= n;
        }
      }
      return results;
    });
  }

  /** Upserts the call's streams (their rows stay locked until commit); ids in plan order. */
  async #upsertStreams(c: PoolClient, streams: readonly StreamPlan[]): Promise<number[]> {
    const col = <K extends keyof StreamPlan>(k: K) => streams.map((s) => s[k]);
    const { rows } = await c.query<{ id: number; device: string; stream: string }>(
      `INSERT INTO ${this.#s}.streams AS s (device, stream, features, fs, highest_seq, dropped_total, backlog, last_rx_ms)
       SELECT u.* FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::int4[], $5::int8[], $6::int8[], $7::int8[], $8::int8[])
         AS u(device, stream, features, fs, highest_seq, dropped_total, backlog, last_rx_ms)
       WHERE EXISTS (SELECT 1 FROM ${this.#s}.devices d WHERE d.id = u.device)
       ON CONFLICT (device, stream) DO UPDATE SET
         highest_seq = greatest(s.highest_seq, excluded.highest_seq),
         dropped_total = greatest(s.dropped_total, excluded.dropped_total),
         features = CASE WHEN excluded.last_rx_ms >= coalesce(s.last_rx_ms, 0) THEN excluded.features ELSE s.features END,
         fs = CASE WHEN excluded.last_rx_ms >= coalesce(s.last_rx_ms, 0) THEN excluded.fs ELSE s.fs END,
         backlog = CASE WHEN excluded.last_rx_ms >= coalesce(s.last_rx_ms, 0) THEN excluded.backlog ELSE s.backlog END,
         last_rx_ms = greatest(s.last_rx_ms, excluded.last_rx_ms)
       RETURNING id, device, stream`,
      [col('device'), col('stream'), col('featuresJson'), col('fs'), col('highestSeq'), col('droppedTotal'), col('backlog'), col('lastRxMs')],
    );
    const byKey = new Map(rows.map((r) => [`${r.device}\u0000${r.stream}`, r.id]));
    const missing = [...new Set(streams.filter((s) => !byKey.has(`${s.device}\u0000${s.stream}`)).map((s) => s.device))];
    if (missing.length > 0) {
      // Thrown inside the transaction, so nothing of this call is stored.
      throw new EdgehiveError('EH_NOT_FOUND', `device ${missing.join(', ')} is not provisioned; telemetry for it cannot be stored`, { devices: missing });
    }
    return streams.map((s) => byKey.get(`${s.device}\u0000${s.stream}`)!);
  }

  async #insertChunk(c: PoolClient, k: WriteChunk, ids: readonly number[]): Promise<Array<{ run: number; n: number }>> {
    const { rows } = await c.query<{ run: number; n: number }>(
      `WITH ins AS (
         INSERT INTO ${this.#s}.readings (stream_id, seq, ts_ms, fs, vals)
         SELECT u.stream_id, u.seq, u.ts_ms, u.fs, ($6::float8[])[u.o + 1 : u.o + u.n]
         FROM unnest($1::int8[], $2::int8[], $3::int8[], $4::int4[], $5::int4[], $10::int4[]) AS u(stream_id, seq, ts_ms, fs, n, o)
         ON CONFLICT DO NOTHING
         RETURNING stream_id, seq
       ), bump AS (
         UPDATE ${this.#s}.streams s SET readings = s.readings + x.n
         FROM (SELECT stream_id, count(*) AS n FROM ins GROUP BY stream_id) x WHERE s.id = x.stream_id
       )
       SELECT r.run, count(*)::int4 AS n
       FROM ins JOIN unnest($7::int8[], $8::int8[], $9::int8[], $11::int4[]) AS r(stream_id, lo, hi, run)
         ON ins.stream_id = r.stream_id AND ins.seq BETWEEN r.lo AND r.hi
       GROUP BY r.run`,
      [k.stream.map((i) => ids[i]), k.seq, k.tsMs, k.fs, k.n, k.values, k.runStream.map((i) => ids[i]), k.runLo, k.runHi, k.offset, k.runBatch.map((_, i) => i)],
    );
    return rows;
  }

  /** Feature-set ids per batch, registering new sets in their own short transaction. */
  async #featureSetIds(names: readonly string[]): Promise<number[]> {
    const missing = [...new Set(names.filter((n) => !this.#featureSets.has(n)))];
    if (missing.length > 0) {
      await this.#db.query('registering feature sets', `INSERT INTO ${this.#s}.feature_sets (names) SELECT unnest($1::jsonb[]) ON CONFLICT DO NOTHING`, [missing]);
      const { rows } = await this.#db.query<{ id: number; names: string[] }>('reading feature sets',
        `SELECT id, names FROM ${this.#s}.feature_sets WHERE names = ANY($1::jsonb[])`, [missing]);
      for (const r of rows) {
        this.#featureSets.set(JSON.stringify(r.names), r.id);
        this.#featureNames.set(r.id, r.names);
      }
    }
    return names.map((n) => this.#featureSets.get(n)!);
  }

  async #names(fs: number): Promise<string[]> {
    let names = this.#featureNames.get(fs);
    if (!names) {
      const { rows } = await this.#db.query<{ names: string[] }>('reading a feature set', `SELECT names FROM ${this.#s}.feature_sets WHERE id = $1`, [fs]);
      names = rows[0]?.names ?? [];
      this.#featureNames.set(fs, names);
    }
    return names;
  }

  async highestSeq(device: string, stream: string): Promise<number> {
    const { rows } = await this.#db.query<{ h: number }>('reading the highest sequence number',
      `SELECT highest_seq AS h FROM ${this.#s}.streams WHERE device = $1 AND stream = $2`, [device, stream]);
    return rows[0]?.h ?? 0;
  }

  /** Readings in [fromMs, toMs] (both inclusive), oldest first, at most `limit`. */
  async query(device: string, q: TelemetryQuery): Promise<TelemetryPage> {
    const limit = Math.max(0, Math.floor(q.limit));
    const streams = (await this.#db.query<StreamRow>('querying telemetry streams',
      `SELECT id, stream, features, fs FROM ${this.#s}.streams WHERE device = $1 AND ($2::text IS NULL OR stream = $2) ORDER BY id`,
      [device, q.stream ?? null])).rows;
    if (streams.length === 0 || limit === 0) return { features: {}, readings: [] };
    const { rows } = await this.#db.query<ReadingRow>('querying telemetry',
      `SELECT r.stream_id, r.seq, r.ts_ms, r.fs, array_send(r.vals) AS vals FROM unnest($1::int8[]) AS s(id) CROSS JOIN LATERAL (
         SELECT stream_id, seq, ts_ms, fs, vals FROM ${this.#s}.readings
         WHERE stream_id = s.id AND ts_ms >= $2 AND ts_ms <= $3 ORDER BY ts_ms, seq LIMIT $4) r
       ORDER BY r.ts_ms, r.stream_id, r.seq LIMIT $4`,
      [streams.map((s) => s.id), q.fromMs ?? Number.MIN_SAFE_INTEGER, q.toMs ?? Number.MAX_SAFE_INTEGER, limit]);
    const byId = new Map(streams.map((s) => [s.id, s]));
    const features: Record<string, string[]> = {};
    const readings: StoredReading[] = [];
    for (const row of rows) {
      const s = byId.get(row.stream_id)!;
      features[s.stream] ??= s.features;
      let values = readFloat8Array(row.vals); // binary: no text parsing, NaN comes back as null
      if (row.fs !== s.fs) values = remapFeatures(await this.#names(row.fs), values, s.features);
      readings.push({ stream: s.stream, seq: row.seq, tsMs: row.ts_ms, values });
    }
    return { features, readings };
  }
}
