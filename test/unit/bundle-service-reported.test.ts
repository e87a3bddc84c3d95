/**
 * Reported states on their way to a real SQLite store: a burst of download progress from 1,000
 * devices is coalesced to one write per device (the latest report), written in batches with the
 * event loop free between them, and each stored report is emitted once to the rollout side.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { toReportedRecord } from '../../cloud-hub/ingest/reported-record.ts';
import { ReportedStates } from '../../cloud-hub/ingest/reported-states.ts';
import { HubMetrics } from '../../cloud-hub/metrics/hub-metrics.ts';
import type { ReportedRecord } from '../../cloud-hub/store/rollout-store.ts';
import { SqliteStore } from '../../cloud-hub/store/sqlite-store.ts';
import { silentLogger } from '../../shared/log/logger.ts';
import { decode, encode } from '../../shared/protocol/codec.ts';

const T0 = Date.UTC(2026, 0, 1);
const DEVICES = 1000;
const REPORTS_EACH = 5;

const progress = (device: string, have: number, at: number): ReportedRecord => toReportedRecord(device, decode('reported', encode('reported', {
  tsMs: at, phase: 'downloading', desiredBundle: 'c'.repeat(64), installingBundle: 'c'.repeat(64), chunksHave: have, chunksTotal: REPORTS_EACH,
})), at);

describe('reported states', () => {
  let dir: string;
  let store: SqliteStore;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'edgehive-reported-'));
    store = new SqliteStore({ path: join(dir, 'hub.db') });
    await store.init();
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('maps protobuf defaults to nulls where nothing was reported', () => {
    const r = toReportedRecord('d1', decode('reported', encode('reported', { tsMs: T0, phase: '' })), T0 + 5);
    assert.equal(r.phase, 'idle');
    assert.equal(r.activeBundle, null);
    assert.equal(r.activeVersion, null);
    assert.equal(r.activatedMs, null);
    assert.equal(r.errorCode, null);
    assert.equal(r.receivedMs, T0 + 5);
  });

  it('coalesces a 1,000-device burst to the latest report per device, written in batches that let the event loop run', async () => {
    const writes: string[] = [];
    const sink = { putReported: async (r: ReportedRecord) => { writes.push(r.device); await store.rollouts.putReported(r); } };
    const states = new ReportedStates({ flushMs: 5, maxBatch: 100 }, { sink, metrics: new HubMetrics(), logger: silentLogger() });
    const emitted = new Map<string, number>();
    states.onReported((r) => emitted.set(r.device, r.chunksHave));

    for (let have = 1; have <= REPORTS_EACH; have++) {
      for (let i = 0; i < DEVICES; i++) states.add(progress(`dev-${i}`, have, T0 + have * 1000 + i));
    }
    assert.equal(states.pending, DEVICES, 'one pending report per device, however often it reported');
    assert.equal(states.coalesced, DEVICES * (REPORTS_EACH - 1));

    // Counts event-loop turns while the burst drains: a single long write would show none.
    let turns = 0;
    await new Promise<void>((resolve) => {
      const spin = () => {
        if (states.written === DEVICES) return resolve();
        turns++;
        setImmediate(spin);
      };
      spin();
    });
    assert.equal(writes.length, DEVICES, 'each device written once');
    assert.ok(turns >= DEVICES / 100, `the event loop ran between batches (${turns} turns)`);
    assert.equal(emitted.size, DEVICES);
    assert.ok([...emitted.values()].every((have) => have === REPORTS_EACH), 'the latest report is the one emitted');
    const stored = await store.rollouts.listReported();
    assert.equal(stored.length, DEVICES);
    assert.ok(stored.every((r) => r.chunksHave === REPORTS_EACH && r.phase === 'downloading'));
    await states.close();
  });

  it('keeps the newer report when an older one arrives late, and writes what is pending on close', async () => {
    const states = new ReportedStates({ flushMs: 10_000, maxBatch: 100 }, { sink: store.rollouts, metrics: new HubMetrics(), logger: silentLogger() });
    states.add(progress('late-1', 4, T0 + 9000));
    states.add(progress('late-1', 2, T0 + 8000));
    await states.close();
    assert.equal((await store.rollouts.getReported('late-1'))?.chunksHave, 4);
    states.add(progress('late-1', 5, T0 + 10_000));
    assert.equal(states.pending, 0, 'a closed writer takes no more reports');
  });
});
