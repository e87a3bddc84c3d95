/**
 * Telemetry in SQLite: the write path (many batches, one transaction, INSERT OR IGNORE so a
 * resent reading is stored once) and the time-range query. Stream keys and feature sets are
 * cached in memory; the cache is dropped whenever a transaction fails.
 */
import type { Database } from 'better-sqlite3';
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { StoredReading, TelemetryPage, TelemetryQuery, TelemetryWrite, TelemetryWriteResult } from './types.ts';
import { blobToValues, valuesToBlob } from './values-blob.ts';
import { remapFeatures } from './remap-features.ts';

interface StreamKey { sk: number; fs: number; featuresJson: string }
interface StreamRow { sk: number; stream: string; features: string; fs: number }
interface ReadingRow { sk: number; seq: number; ts_ms: number; fs: number; vals: Buffer }

/** Rows per multi-row INSERT: fewer statement calls, same transaction. */
const CHUNK = 32;

export class SqliteTelemetry {
  readonly #streamKeys = new Map<string, StreamKey>();
  readonly #featureSets = new Map<string, number>();
  readonly #featureNames = new Map<number, string[]>();
  readonly #s;
  readonly #writeTx: (batches: readonly TelemetryWrite[]) => TelemetryWriteResult[];

  constructor(db: Database) {
    const values = (n: number) => Array.from({ length: n }, () => '(?, ?, ?, ?, ?)').join(', ');
    this.#s = {
      insertOne: db.prepare(`INSERT OR IGNORE INTO readings (sk, seq, ts_ms, fs, vals) VALUES ${values(1)}`),
      insertChunk: db.prepare(`INSERT OR IGNORE INTO readings (sk, seq, ts_ms, fs, vals) VALUES ${values(CHUNK)}`),
      findStream: db.prepare<[string, string], StreamRow>('SELECT sk, stream, features, fs FROM streams WHERE device = ? AND stream = ?'),
      addStream: db.prepare('INSERT INTO streams (device, stream, features, fs) VALUES (?, ?, ?, ?)'),
      setFeatures: db.prepare('UPDATE streams SET features = ?, fs = ? WHERE sk = ?'),
      findFeatureSet: db.prepare<[string], { id: number }>('SELECT id FROM feature_sets WHERE names = ?'),
      addFeatureSet: db.prepare('INSERT INTO feature_sets (names) VALUES (?)'),
      featureNames: db.prepare<[number], { names: string }>('SELECT names FROM feature_sets WHERE id = ?'),
      updateStream: db.prepare(`UPDATE streams SET highest_seq = max(highest_seq, ?), dropped_total = max(dropped_total, ?),
        readings = readings + ?, last_rx_ms = max(coalesce(last_rx_ms, 0), ?) WHERE sk = ?`),
      updateBacklog: db.prepare('UPDATE devices SET backlog = ? WHERE id = ?'),
      deviceExists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM devices WHERE id = ?'),
      streamsOf: db.prepare<[string], StreamRow>('SELECT sk, stream, features, fs FROM streams WHERE device = ? ORDER BY stream'),
      range: db.prepare<[number, number, number, number], ReadingRow>('SELECT sk, seq, ts_ms, fs, vals FROM readings WHERE sk = ? AND ts_ms >= ? AND ts_ms <= ? ORDER BY ts_ms, seq LIMIT ?'),
      highestSeq: db.prepare<[string, string], { highest_seq: number }>('SELECT highest_seq FROM streams WHERE device = ? AND stream = ?'),
    };
    this.#writeTx = db.transaction((batches: readonly TelemetryWrite[]) => batches.map((b) => this.#writeOne(b)));
  }

  write(batches: readonly TelemetryWrite[]): TelemetryWriteResult[] {
    if (batches.length === 0) return [];
    try {
      return this.#writeTx(batches);
    } catch (e) {
      this.#streamKeys.clear();
      this.#featureSets.clear();
      if (e instanceof EdgehiveError) throw e;
      throw new EdgehiveError('EH_STORE_FAILED', `writing ${batches.length} telemetry batches failed: ${(e as Error).message}`, undefined, { cause: e });
    }
  }

  #writeOne(b: TelemetryWrite): TelemetryWriteResult {
    const key = this.#streamKey(b);
    const n = b.readings.length;
    const sk = key.sk;
    const fs = key.fs;
    let inserted = 0;
    let i = 0;
    if (n >= CHUNK) {
      const args = new Array<unknown>(CHUNK * 5);
      for (; i + CHUNK <= n; i += CHUNK) {
        for (let j = 0; j < CHUNK; j++) {
          const r = b.readings[i + j]!;
          const o = j * 5;
          args[o] = sk;
          args[o + 1] = b.firstSeq + i + j;
          args[o + 2] = r.tsMs;
          args[o + 3] = fs;
          args[o + 4] = valuesToBlob(r.values);
        }
        inserted += this.#s.insertChunk.run(args).changes;
      }
    }
    for (; i < n; i++) {
      const r = b.readings[i]!;
      inserted += this.#s.insertOne.run(sk, b.firstSeq + i, r.tsMs, fs, valuesToBlob(r.values)).changes;
    }
    this.#s.updateStream.run(b.firstSeq + n - 1, b.droppedTotal, inserted, b.receivedAtMs, sk);
    this.#s.updateBacklog.run(b.backlog, b.device); // one outbox per device: the latest batch says how full
    return { inserted, duplicates: n - inserted };
  }

  #streamKey(b: TelemetryWrite): StreamKey {
    const mapKey = `${b.device}\u0000${b.stream}`;
    const featuresJson = JSON.stringify(b.features);
    let key = this.#streamKeys.get(mapKey);
    if (key && key.featuresJson === featuresJson) return key;
    const fs = this.#featureSetId(featuresJson);
    if (!key) {
      const row = this.#s.findStream.get(b.device, b.stream);
      if (row) {
        key = { sk: row.sk, fs: row.fs, featuresJson: row.features };
      } else {
        if (!this.#s.deviceExists.get(b.device)) throw new EdgehiveError('EH_NOT_FOUND', `device ${b.device} is not provisioned; telemetry for it cannot be stored`);
        const sk = Number(this.#s.addStream.run(b.device, b.stream, featuresJson, fs).lastInsertRowid);
        key = { sk, fs, featuresJson };
      }
    }
    if (key.featuresJson !== featuresJson) {
      this.#s.setFeatures.run(featuresJson, fs, key.sk);
      key = { sk: key.sk, fs, featuresJson };
    }
    this.#streamKeys.set(mapKey, key);
    return key;
  }

  #featureSetId(namesJson: string): number {
    let id = this.#featureSets.get(namesJson);
    if (id !== undefined) return id;
    id = this.#s.findFeatureSet.get(namesJson)?.id ?? Number(this.#s.addFeatureSet.run(namesJson).lastInsertRowid);
    this.#featureSets.set(namesJson, id);
    return id;
  }

  #names(fs: number): string[] {
    let names = this.#featureNames.get(fs);
    if (!names) {
      const row = this.#s.featureNames.get(fs);
      names = row ? (JSON.parse(row.names) as string[]) : [];
      this.#featureNames.set(fs, names);
    }
    return names;
  }

  highestSeq(device: string, stream: string): number {
    return this.#s.highestSeq.get(device, stream)?.highest_seq ?? 0;
  }

  /** Readings in [fromMs, toMs] (both inclusive), oldest first, at most `limit`. */
  query(device: string, q: TelemetryQuery): TelemetryPage {
    const streams = this.#s.streamsOf.all(device).filter((s) => q.stream === undefined || s.stream === q.stream);
    const from = q.fromMs ?? -Number.MAX_VALUE;
    const to = q.toMs ?? Number.MAX_VALUE;
    // One indexed range scan per stream, merged here: no sort of the whole range in SQLite.
    const rows: Array<{ s: StreamRow; row: ReadingRow }> = [];
    for (const s of streams) for (const row of this.#s.range.all(s.sk, from, to, q.limit)) rows.push({ s, row });
    if (streams.length > 1) rows.sort((a, b) => a.row.ts_ms - b.row.ts_ms || a.row.sk - b.row.sk || a.row.seq - b.row.seq);
    if (rows.length > q.limit) rows.length = q.limit;
    const features: Record<string, string[]> = {};
    const readings: StoredReading[] = rows.map(({ s, row }) => {
      const names = (features[s.stream] ??= JSON.parse(s.features) as string[]);
      let values = blobToValues(row.vals);
      if (row.fs !== s.fs) values = remapFeatures(this.#names(row.fs), values, names);
      return { stream: s.stream, seq: row.seq, tsMs: row.ts_ms, values };
    });
    return { features, readings };
  }
}
