/**
 * Readings into an agent's outbox exactly as the agent writes them (Chunker → Outbox, chunks of
 * buffer.chunkMaxReadings, one transaction per push): what an offline agent buffers, and the
 * append path bench/agent.ts times.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BUFFER_FILE } from '../../edge-agent/agent-api.ts';
import { Chunker } from '../../edge-agent/buffer/chunker.ts';
import { Outbox } from '../../edge-agent/buffer/outbox.ts';
import type { SensorReading } from '../../edge-agent/sensors/types.ts';
import { parseAgentConfig } from '../../shared/config/agent-config.ts';
import { systemClock } from '../../shared/time/clock.ts';
import { FEATURES_16, silentLogger, T0 } from './util.ts';

/** The agent's buffer defaults (shared/config/agent-config.ts), read from the schema itself. */
export const BUFFER_DEFAULTS = parseAgentConfig({
  fleet: 'f', deviceId: 'd', profile: 'p', dataDir: '.', hub: { mqttUrl: 'mqtt://127.0.0.1:1' },
}).buffer;

export interface FillOptions {
  /** Directory holding (or to hold) agent.db. */
  dataDir: string;
  stream?: string;
  readings: number;
  features?: readonly string[];
  /** Readings handed to the chunker per push (a sensor's batch; the sim sensor pushes up to 1000). */
  pushSize?: number;
  synchronous?: 'full' | 'normal';
  chunkMaxReadings?: number;
  /** Timestamp of the first reading; each next one is 1 ms later. */
  firstTsMs?: number;
}

export interface FillResult { readings: number; seconds: number; readingsPerS: number; records: number; bytes: number }

/** Deterministic, varied values, so no column compresses to nothing. */
function makePool(n: number, features: number): SensorReading[] {
  const pool: SensorReading[] = [];
  for (let i = 0; i < n; i++) {
    const values = new Array<number>(features);
    for (let f = 0; f < features; f++) values[f] = Math.sin(i * 0.01 + f) * 100 + f;
    if (i % 97 === 5) values[3] = NaN; // an occasional missing value, as real sensors have
    pool.push({ tsMs: 0, values });
  }
  return pool;
}

/**
 * Appends `readings` readings through a Chunker into the outbox at dataDir/agent.db and closes it.
 * Only the pushes and the final flush are timed (opening the file is not).
 */
export function fillOutbox(o: FillOptions): FillResult {
  const features = o.features ?? FEATURES_16;
  const stream = o.stream ?? 'main';
  const pushSize = o.pushSize ?? 1000;
  const logger = silentLogger();
  const outbox = new Outbox({
    path: join(o.dataDir, BUFFER_FILE), maxBytes: BUFFER_DEFAULTS.maxBytes, clock: systemClock, logger,
    synchronous: o.synchronous ?? BUFFER_DEFAULTS.synchronous,
  });
  try {
    const chunker = new Chunker(outbox, {
      chunkMaxReadings: o.chunkMaxReadings ?? BUFFER_DEFAULTS.chunkMaxReadings, chunkMaxDelayMs: BUFFER_DEFAULTS.chunkMaxDelayMs, logger,
    }, () => {});
    chunker.register(stream, features);
    const pool = makePool(pushSize, features.length);
    let ts = o.firstTsMs ?? T0;
    const t0 = performance.now();
    for (let done = 0; done < o.readings;) {
      const n = Math.min(pushSize, o.readings - done);
      const batch = n === pool.length ? pool : pool.slice(0, n);
      for (const r of batch) r.tsMs = ts++;
      chunker.push(stream, batch);
      done += n;
    }
    chunker.close(); // flushes the last partial chunk
    const seconds = (performance.now() - t0) / 1000;
    const c = outbox.counters();
    if (c.readings !== o.readings) throw new Error(`outbox holds ${c.readings} readings after appending ${o.readings}`);
    return { readings: o.readings, seconds, readingsPerS: o.readings / seconds, records: c.records, bytes: c.bytes };
  } finally {
    outbox.close();
  }
}
