/**
 * Sensors → outbox. Readings wait in memory, per stream, for at most buffer.chunkMaxDelayMs or
 * until a chunk holds chunkMaxReadings (or what fits the WAL budget), then every waiting chunk is
 * written in ONE transaction. This is the power-loss window: readings still in memory are lost
 * on a crash; see the README.
 */
import { Limits } from '../../shared/protocol/limits.ts';
import type { Logger } from '../../shared/log/logger.ts';
import type { SensorReading } from '../sensors/types.ts';
import { encodeChunk } from './chunk-codec.ts';
import type { ChunkInput, Outbox } from './outbox.ts';
import { RateLimitedLog } from '../util/rate-limited-log.ts';

interface Pending {
  stream: string;
  features: readonly string[];
  featuresJson: Uint8Array;
  width: number;
  capacity: number;
  data: Float64Array;
  n: number;
  lastTs: number;
}

export interface ChunkerOptions { chunkMaxReadings: number; chunkMaxDelayMs: number; logger: Logger }

export class Chunker {
  readonly #pending = new Map<string, Pending>();
  #ready: ChunkInput[] = [];
  #timer: NodeJS.Timeout | null = null;
  #closed = false;
  /** Readings refused on arrival (wrong length, implausible time). */
  rejected = 0;
  /** Readings lost because the outbox could not store them (an I/O error, not the size bound). */
  lost = 0;
  readonly #warn: RateLimitedLog;

  constructor(
    private readonly outbox: Outbox,
    private readonly opts: ChunkerOptions,
    private readonly onFlushed: () => void,
  ) {
    this.#warn = new RateLimitedLog(opts.logger, 10_000);
  }

  register(stream: string, features: readonly string[]): void {
    const width = 1 + features.length;
    const capacity = Math.min(this.opts.chunkMaxReadings, this.outbox.maxChunkReadings(features.length));
    this.#pending.set(stream, {
      stream, features, featuresJson: new TextEncoder().encode(JSON.stringify(features)),
      width, capacity, data: new Float64Array(capacity * width), n: 0, lastTs: -Infinity,
    });
  }

  /** Takes readings of a registered stream; invalid ones are counted and skipped. */
  push(stream: string, readings: readonly SensorReading[]): void {
    if (this.#closed) return;
    const p = this.#pending.get(stream);
    if (!p) throw new Error(`stream ${stream} is not registered`);
    const nf = p.width - 1;
    for (const r of readings) {
      const ts = r.tsMs;
      if (!Number.isFinite(ts) || ts < Limits.minTsMs || ts > Limits.maxTsMs || r.values.length !== nf) {
        this.rejected += 1;
        this.#warn.warn('bad-reading', { stream, tsMs: ts, values: r.values.length, features: nf }, 'sensor reading refused: timestamp implausible or wrong number of values');
        continue;
      }
      let o = p.n * p.width;
      p.data[o++] = ts;
      for (let i = 0; i < nf; i++) {
        const v = r.values[i]!;
        p.data[o++] = Number.isFinite(v) ? v : NaN;
      }
      p.n += 1;
      if (ts > p.lastTs) p.lastTs = ts;
      if (p.n === p.capacity) this.#seal(p);
    }
    if (this.opts.chunkMaxDelayMs === 0) this.flush();
    else if (this.#ready.length > 0) this.#write();
    if (p.n > 0 && !this.#timer && !this.#closed) {
      this.#timer = setTimeout(() => { this.#timer = null; this.flush(); }, this.opts.chunkMaxDelayMs);
    }
  }

  #seal(p: Pending): void {
    if (p.n === 0) return;
    this.#ready.push({ stream: p.stream, payload: encodeChunk(p.features, p.featuresJson, p.data, p.n), readings: p.n, lastTsMs: p.lastTs });
    p.n = 0;
    p.lastTs = -Infinity;
  }

  /** Writes every waiting reading to the outbox in one transaction. */
  flush(): void {
    if (this.#timer) { clearTimeout(this.#timer); this.#timer = null; }
    for (const p of this.#pending.values()) this.#seal(p);
    this.#write();
  }

  /** Writes the sealed chunks in one transaction. */
  #write(): void {
    if (this.#ready.length === 0) return;
    const chunks = this.#ready;
    this.#ready = [];
    try {
      this.outbox.appendTelemetry(chunks);
    } catch (e) {
      // Kept for the next flush unless the outbox keeps failing; then the oldest go, counted.
      this.#ready = chunks.concat(this.#ready);
      while (this.#ready.length > 64) this.lost += this.#ready.shift()!.readings;
      this.#warn.error('append-failed', { err: e }, 'could not write readings to the agent buffer');
      if (!this.#timer && !this.#closed) this.#timer = setTimeout(() => { this.#timer = null; this.flush(); }, 1000);
      return;
    }
    this.onFlushed();
  }

  /** Crash: readings in memory are lost, as they would be with SIGKILL. */
  discard(): void {
    this.#closed = true;
    if (this.#timer) { clearTimeout(this.#timer); this.#timer = null; }
    this.#ready = [];
    for (const p of this.#pending.values()) p.n = 0;
  }

  /** Graceful: flushes, then refuses further readings. */
  close(): void {
    this.flush();
    this.discard();
  }
}
