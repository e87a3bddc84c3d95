/**
 * One suite for the drift side of the Store on every implementation (drift-store-sqlite.test.ts,
 * drift-store-postgres.test.ts): rows stored once per (device, seq, feature), the filters of
 * GET /api/v1/drift (group, device, feature, time), newest first, and data kept across a reopen.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { DriftRow } from '../../cloud-hub/store/drift-store.ts';
import type { Store } from '../../cloud-hub/store/types.ts';
import type { StoreUnderTest } from './store-contract.ts';

const T0 = Date.UTC(2026, 0, 1);

function row(device: string, seq: number, feature: string, more: Partial<DriftRow> = {}): DriftRow {
  return {
    device, seq, tsMs: T0 + seq * 60_000, receivedMs: T0 + seq * 60_000 + 40, model: 'pump-ae', modelVersion: '3', feature,
    psi: 0.05 * seq, ks: 0.125, missingRate: 0, outOfRangeRate: 0.5, stuck: false, samples: 600, outputJs: 0.0625, alarm: false, ...more,
  };
}

export function driftContract(name: string, make: () => Promise<StoreUnderTest>): void {
  describe(`Drift store contract: ${name}`, () => {
    let h: StoreUnderTest;
    let store: Store;

    beforeEach(async () => {
      h = await make();
      store = h.store;
      await store.init();
      for (const [id, group] of [['p1', 'north'], ['p2', 'north'], ['p3', 'south']] as const) {
        await store.createDevice({ id, group, profile: 'rpi4', publicKey: new Uint8Array(32).fill(id.charCodeAt(1)), createdAtMs: T0 });
      }
    });
    afterEach(async () => {
      await h.cleanup();
    });

    it('stores every field and gives it back unchanged', async () => {
      const r = row('p1', 7, 'temp', { stuck: true, alarm: true, psi: 0.3125, missingRate: 0.25, samples: 1234, modelVersion: '12' });
      assert.deepEqual(await store.drift.putDriftReports([r]), { inserted: 1, duplicates: 0 });
      assert.deepEqual(await store.drift.queryDrift({ limit: 10 }), [r]);
    });

    it('stores a resent report once and counts its rows as duplicates', async () => {
      const report = [row('p1', 1, 'temp'), row('p1', 1, 'vib')];
      assert.deepEqual(await store.drift.putDriftReports(report), { inserted: 2, duplicates: 0 });
      assert.deepEqual(await store.drift.putDriftReports([...report, row('p1', 2, 'temp')]), { inserted: 1, duplicates: 2 });
      // The same row twice in one call is one row too.
      assert.deepEqual(await store.drift.putDriftReports([row('p2', 1, 'temp'), row('p2', 1, 'temp')]), { inserted: 1, duplicates: 1 });
      assert.equal((await store.drift.queryDrift({ limit: 100 })).length, 4);
    });

    it('the same seq and feature on another device is another row', async () => {
      await store.drift.putDriftReports([row('p1', 1, 'temp'), row('p2', 1, 'temp'), row('p1', 1, '')]);
      assert.equal((await store.drift.queryDrift({ limit: 100 })).length, 3);
    });

    it('returns rows newest first, ties in a stable order, cut at the limit', async () => {
      await store.drift.putDriftReports([row('p2', 1, 'vib'), row('p1', 3, 'temp'), row('p1', 1, 'vib'), row('p1', 1, 'temp'), row('p1', 2, 'temp')]);
      const all = await store.drift.queryDrift({ limit: 100 });
      assert.deepEqual(all.map((r) => `${r.device}/${r.seq}/${r.feature}`), ['p1/3/temp', 'p1/2/temp', 'p1/1/temp', 'p1/1/vib', 'p2/1/vib']);
      assert.deepEqual((await store.drift.queryDrift({ limit: 2 })).map((r) => r.seq), [3, 2]);
    });

    it('filters by device, feature, group and inclusive time bounds', async () => {
      await store.drift.putDriftReports([
        row('p1', 1, 'temp'), row('p1', 2, 'temp'), row('p1', 2, 'vib'), row('p2', 3, 'temp'), row('p3', 4, 'temp'), row('p3', 5, 'vib'),
      ]);
      const keys = (rs: DriftRow[]): string[] => rs.map((r) => `${r.device}/${r.seq}/${r.feature}`);
      assert.deepEqual(keys(await store.drift.queryDrift({ device: 'p1', limit: 100 })), ['p1/2/temp', 'p1/2/vib', 'p1/1/temp']);
      assert.deepEqual(keys(await store.drift.queryDrift({ feature: 'vib', limit: 100 })), ['p3/5/vib', 'p1/2/vib']);
      assert.deepEqual(keys(await store.drift.queryDrift({ group: 'north', feature: 'temp', limit: 100 })), ['p2/3/temp', 'p1/2/temp', 'p1/1/temp']);
      assert.deepEqual(keys(await store.drift.queryDrift({ group: 'south', limit: 100 })), ['p3/5/vib', 'p3/4/temp']);
      assert.deepEqual(keys(await store.drift.queryDrift({ fromMs: T0 + 2 * 60_000, toMs: T0 + 4 * 60_000, limit: 100 })),
        ['p3/4/temp', 'p2/3/temp', 'p1/2/temp', 'p1/2/vib']);
      assert.deepEqual(await store.drift.queryDrift({ device: 'p1', feature: 'amps', limit: 100 }), []);
      assert.deepEqual(await store.drift.queryDrift({ group: 'nowhere', limit: 100 }), []);
    });

    it('keeps rows across a reopen, and a resend after it is still a duplicate', async () => {
      await store.drift.putDriftReports([row('p1', 1, 'temp')]);
      await store.close();
      const again = await h.reopen();
      await again.init();
      assert.equal((await again.drift.queryDrift({ limit: 10 })).length, 1);
      assert.deepEqual(await again.drift.putDriftReports([row('p1', 1, 'temp')]), { inserted: 0, duplicates: 1 });
    });
  });
}
