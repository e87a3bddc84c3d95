/**
 * The ingest's group commit on a real SQLite store: acks only after commit (duplicates too), one
 * bad batch does not keep the others out, backpressure past the pending bound, close() flushes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SeqTracker } from '../../cloud-hub/ingest/seq-tracker.ts';
import { TelemetryBatcher, type PendingBatch } from '../../cloud-hub/ingest/telemetry-batcher.ts';
import { HubMetrics } from '../../cloud-hub/metrics/hub-metrics.ts';
import { SqliteStore } from '../../cloud-hub/store/sqlite-store.ts';
import { silentLogger } from '../../shared/log/logger.ts';

const T0 = Date.UTC(2026, 0, 1);

function pending(device: string, firstSeq: number, n: number): PendingBatch {
  return {
    seqKey: SeqTracker.key(device, 's'),
    arrived: performance.now(),
    write: {
      device, stream: 's', firstSeq, features: ['a'], droppedTotal: 0, backlog: 0, receivedAtMs: T0,
      readings: Array.from({ length: n }, (_, i) => ({ tsMs: T0 + (firstSeq + i) * 1000, values: Float64Array.of(firstSeq + i) })),
    },
  };
}

describe('telemetry batcher', () => {
  let dir: string;
  let store: SqliteStore;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'edgehive-batcher-'));
    store = new SqliteStore({ path: join(dir, 'hub.db') });
    await store.init();
    for (const id of ['a', 'b', 'c']) await store.createDevice({ id, group: 'g', profile: 'p', publicKey: new Uint8Array(32).fill(id.charCodeAt(0)), createdAtMs: T0 });
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function make(opts: Partial<ConstructorParameters<typeof TelemetryBatcher>[0]> = {}) {
    const metrics = new HubMetrics();
    const acks: string[] = [];
    const checks: Array<Promise<void>> = [];
    const batcher = new TelemetryBatcher(
      { maxBatchMessages: 100, flushIntervalMs: 2, maxPendingReadings: 100_000, ...opts },
      {
        store, seqs: new SeqTracker(store), metrics, logger: silentLogger(),
        ack: (device, stream, from, to) => {
          acks.push(`${device}:${from}-${to}`);
          // An ack means committed: the readings are there when it is sent.
          checks.push(store.queryTelemetry(device, { stream, fromMs: T0 + from * 1000, toMs: T0 + to * 1000, limit: 10_000 })
            .then((p) => assert.equal(p.readings.length, to - from + 1, `${device} ${from}..${to} acked before commit`)));
        },
      },
    );
    return { batcher, metrics, acks, checks };
  }

  it('commits waiting batches together, then acks each, resends included', async () => {
    const { batcher, metrics, acks, checks } = make();
    batcher.add(pending('a', 1, 10));
    batcher.add(pending('b', 1, 5));
    batcher.add(pending('a', 1, 10)); // a resend
    await batcher.close();
    await Promise.all(checks);
    assert.deepEqual(acks.sort(), ['a:1-10', 'a:1-10', 'b:1-5']);
    assert.equal(metrics.readingsStored, 15);
    assert.equal(metrics.duplicates, 10);
  });

  it('keeps a batch the store refuses from taking the rest of its flush down', async () => {
    const { batcher, metrics, acks, checks } = make();
    batcher.add(pending('c', 1, 3));
    batcher.add(pending('not-provisioned', 1, 3));
    batcher.add(pending('c', 4, 3));
    await batcher.close();
    await Promise.all(checks);
    assert.deepEqual(acks.sort(), ['c:1-3', 'c:4-6']);
    assert.equal(metrics.storeFailures, 1);
    assert.equal(batcher.pendingReadings, 0);
  });

  it('asks the transport to pause past the pending bound and lets it go after the write', async () => {
    const { batcher, acks } = make({ maxPendingReadings: 1000, flushIntervalMs: 50 });
    assert.equal(batcher.add(pending('b', 100, 600)), null);
    const wait = batcher.add(pending('b', 700, 600));
    assert.ok(wait instanceof Promise, 'over the bound: pause');
    await wait;
    assert.ok(acks.includes('b:100-699') && acks.includes('b:700-1299'));
    await batcher.close();
  });

  it('bounds the readings one transaction writes and lets the event loop run between transactions', async () => {
    const { batcher, acks, checks } = make({ maxBatchReadings: 1000, flushIntervalMs: 50 });
    const sizes: number[] = [];
    const original = store.writeTelemetry.bind(store);
    let turns = 0;
    let ticking = true;
    const tick = (): void => { turns++; if (ticking) setImmediate(tick); };
    setImmediate(tick);
    store.writeTelemetry = (writes) => {
      sizes.push(writes.reduce((n, w) => n + w.readings.length, 0));
      return original(writes);
    };
    try {
      batcher.add(pending('a', 1000, 400));
      batcher.add(pending('a', 1400, 400));
      batcher.add(pending('a', 1800, 400));
      batcher.add(pending('b', 5000, 1500)); // larger than the bound: written on its own
      batcher.add(pending('b', 6500, 100));
      // The bound was reached, so the writes start without waiting for the flush interval.
      while (acks.length < 5) await new Promise((r) => setTimeout(r, 5));
      await batcher.close();
    } finally {
      store.writeTelemetry = original;
      ticking = false;
    }
    await Promise.all(checks);
    assert.deepEqual(sizes, [800, 400, 1500, 100]);
    assert.ok(turns >= sizes.length - 1, `event loop turns between writes: ${turns}`);
    assert.deepEqual(acks.sort(), ['a:1000-1399', 'a:1400-1799', 'a:1800-2199', 'b:5000-6499', 'b:6500-6599']);
  });
});
