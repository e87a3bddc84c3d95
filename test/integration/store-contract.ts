/**
 * The one abstract suite for the hub's Store: every implementation (store-sqlite.test.ts,
 * store-postgres.test.ts) runs exactly these tests, so the hub behaves the same on either.
 * Each test gets a fresh, empty store from `make` and calls init() itself.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isEdgehiveError } from '../../shared/errors/index.ts';
import type { NewDevice, Store, TelemetryWrite } from '../../cloud-hub/store/types.ts';

export interface StoreUnderTest {
  /** A new store on empty data, not yet initialised. */
  store: Store;
  /** Another new store on the same data (file, database + schema), not yet initialised. */
  reopen(): Promise<Store>;
  /** Closes every store handed out (closing twice must be harmless) and removes the data. */
  cleanup(): Promise<void>;
}

const T0 = 1_700_000_000_000;
const FEATURES = ['temp', 'vib', 'amps'];

function key(n: number): Uint8Array {
  return new Uint8Array(32).fill(n);
}

function device(id: string, more: Partial<NewDevice> = {}): NewDevice {
  return { id, group: 'plant-a', profile: 'pi4', publicKey: key(1), createdAtMs: T0, ...more };
}

/** Readings seq firstSeq..firstSeq+n-1 at T0 + seq seconds, values [seq, seq + 0.5, -seq]. */
function batch(dev: string, stream: string, firstSeq: number, n: number, more: Partial<TelemetryWrite> = {}): TelemetryWrite {
  const readings = Array.from({ length: n }, (_, i) => {
    const seq = firstSeq + i;
    return { tsMs: T0 + seq * 1000, values: [seq, seq + 0.5, -seq] };
  });
  return { device: dev, stream, firstSeq, features: FEATURES, readings, droppedTotal: 0, backlog: 0, receivedAtMs: T0 + 1_000_000, ...more };
}

async function rejectsWith(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => isEdgehiveError(e) && e.code === code);
}

export function storeContract(name: string, make: () => Promise<StoreUnderTest>): void {
  describe(`Store contract: ${name}`, () => {
    let h: StoreUnderTest;
    let store: Store;

    beforeEach(async () => {
      h = await make();
      store = h.store;
      await store.init();
    });
    afterEach(async () => {
      await h.cleanup();
    });

    describe('devices', () => {
      it('a new device starts offline, never seen, with nothing stored', async () => {
        const d = await store.createDevice(device('pump-1', { publicKey: key(7) }));
        assert.equal(d.id, 'pump-1');
        assert.equal(d.group, 'plant-a');
        assert.equal(d.profile, 'pi4');
        assert.ok(Buffer.from(d.publicKey).equals(Buffer.from(key(7))));
        assert.equal(d.createdAtMs, T0);
        assert.equal(d.online, false);
        assert.equal(d.lastSeenMs, null);
        assert.equal(d.agentVersion, null);
        assert.equal(d.activeBundle, null);
        assert.equal(d.droppedReadings, 0);
        assert.equal(d.backlog, 0);
        assert.equal(d.readingsStored, 0);
        assert.deepEqual(await store.getDevice('pump-1'), d);
        assert.equal(await store.getDevice('nobody'), null);
      });

      it('provisioning an id again with the same key returns the device as first provisioned', async () => {
        const first = await store.createDevice(device('pump-1'));
        const again = await store.createDevice(device('pump-1', { group: 'plant-b', createdAtMs: T0 + 5 }));
        assert.deepEqual(again, first);
        assert.equal((await store.listDevices()).length, 1);
      });

      it('provisioning an id with another public key fails with EH_CONFLICT and keeps the first key', async () => {
        await store.createDevice(device('pump-1', { publicKey: key(1) }));
        await rejectsWith(store.createDevice(device('pump-1', { publicKey: key(2) })), 'EH_CONFLICT');
        const d = await store.getDevice('pump-1');
        assert.ok(d && Buffer.from(d.publicKey).equals(Buffer.from(key(1))));
      });

      it('lists devices by group, profile and online state, alone or together', async () => {
        await store.createDevice(device('a1', { group: 'north', profile: 'pi4' }));
        await store.createDevice(device('a2', { group: 'north', profile: 'jetson' }));
        await store.createDevice(device('b1', { group: 'south', profile: 'pi4' }));
        await store.setDeviceStatus('a2', { online: true, atMs: T0 + 1 });
        await store.setDeviceStatus('b1', { online: true, atMs: T0 + 1 });
        const ids = async (q: Parameters<Store['listDevices']>[0]) => (await store.listDevices(q)).map((d) => d.id);
        assert.deepEqual(await ids({}), ['a1', 'a2', 'b1']);
        assert.deepEqual(await ids({ group: 'north' }), ['a1', 'a2']);
        assert.deepEqual(await ids({ profile: 'pi4' }), ['a1', 'b1']);
        assert.deepEqual(await ids({ online: true }), ['a2', 'b1']);
        assert.deepEqual(await ids({ online: false }), ['a1']);
        assert.deepEqual(await ids({ group: 'north', online: true }), ['a2']);
        assert.deepEqual(await ids({ group: 'south', profile: 'jetson' }), []);
        assert.deepEqual(await ids({ group: 'nowhere' }), []);
      });

      it('pages through devices in id order with limit and offset, each device exactly once', async () => {
        const all = Array.from({ length: 23 }, (_, i) => `dev-${String(i).padStart(2, '0')}`);
        for (const id of all) await store.createDevice(device(id, { createdAtMs: T0 + all.indexOf(id) }));
        const seen: string[] = [];
        for (let offset = 0; offset < 30; offset += 10) {
          const page = await store.listDevices({ limit: 10, offset });
          assert.ok(page.length <= 10);
          seen.push(...page.map((d) => d.id));
        }
        assert.deepEqual(seen, all);
        assert.deepEqual((await store.listDevices({ group: 'plant-a', limit: 2, offset: 21 })).map((d) => d.id), ['dev-21', 'dev-22']);
        assert.deepEqual(await store.listDevices({ limit: 5, offset: 100 }), []);
      });

      it('status marks a device online and offline and keeps what an update does not mention', async () => {
        await store.createDevice(device('pump-1'));
        await store.setDeviceStatus('pump-1', { online: true, atMs: T0 + 10, agentVersion: '1.2.0', activeBundle: 'bundle-a', profile: 'pi5' });
        let d = await store.getDevice('pump-1');
        assert.equal(d?.online, true);
        assert.equal(d?.lastSeenMs, T0 + 10);
        assert.equal(d?.agentVersion, '1.2.0');
        assert.equal(d?.activeBundle, 'bundle-a');
        assert.equal(d?.profile, 'pi5');
        await store.setDeviceStatus('pump-1', { online: false, atMs: T0 + 20 });
        d = await store.getDevice('pump-1');
        assert.equal(d?.online, false);
        assert.equal(d?.lastSeenMs, T0 + 20);
        assert.equal(d?.agentVersion, '1.2.0');
        assert.equal(d?.activeBundle, 'bundle-a');
        assert.equal(d?.profile, 'pi5');
        await store.setDeviceStatus('pump-1', { online: true, atMs: T0 + 30, activeBundle: 'bundle-b' });
        d = await store.getDevice('pump-1');
        assert.equal(d?.online, true);
        assert.equal(d?.activeBundle, 'bundle-b');
        assert.equal(d?.agentVersion, '1.2.0');
      });
    });

    describe('telemetry writes: each (device, stream, seq) stored once', () => {
      beforeEach(async () => {
        await store.createDevice(device('pump-1'));
        await store.createDevice(device('pump-2', { publicKey: key(2) }));
      });

      it('stores a new batch and counts every reading as inserted', async () => {
        assert.deepEqual(await store.writeTelemetry([batch('pump-1', 'pump', 1, 50)]), [{ inserted: 50, duplicates: 0 }]);
        assert.equal(await store.countReadings('pump-1'), 50);
        assert.equal(await store.highestSeq('pump-1', 'pump'), 50);
      });

      it('a resent batch is counted as duplicates and stored once', async () => {
        await store.writeTelemetry([batch('pump-1', 'pump', 1, 50)]);
        assert.deepEqual(await store.writeTelemetry([batch('pump-1', 'pump', 1, 50)]), [{ inserted: 0, duplicates: 50 }]);
        assert.equal(await store.countReadings(), 50);
        assert.equal((await store.getDevice('pump-1'))?.readingsStored, 50);
      });

      it('a resend that overlaps stored readings stores only the new ones', async () => {
        await store.writeTelemetry([batch('pump-1', 'pump', 11, 10)]); // 11..20
        assert.deepEqual(await store.writeTelemetry([batch('pump-1', 'pump', 1, 15)]), [{ inserted: 10, duplicates: 5 }]); // 1..15
        assert.deepEqual(await store.writeTelemetry([batch('pump-1', 'pump', 18, 10)]), [{ inserted: 7, duplicates: 3 }]); // 18..27
        assert.deepEqual(await store.writeTelemetry([batch('pump-1', 'pump', 5, 30)]), [{ inserted: 7, duplicates: 23 }]); // 5..34
        const page = await store.queryTelemetry('pump-1', { limit: 1000 });
        assert.deepEqual(page.readings.map((r) => r.seq), Array.from({ length: 34 }, (_, i) => i + 1));
      });

      it('many batches in one call give one result per batch, in call order, across devices and streams', async () => {
        await store.writeTelemetry([batch('pump-1', 'pump', 1, 5)]);
        const results = await store.writeTelemetry([
          batch('pump-2', 'motor', 1, 3),
          batch('pump-1', 'pump', 1, 8), // 1..5 stored before
          batch('pump-1', 'motor', 100, 4),
          batch('pump-2', 'pump', 1, 2),
          batch('pump-1', 'pump', 9, 2),
        ]);
        assert.deepEqual(results, [
          { inserted: 3, duplicates: 0 }, { inserted: 3, duplicates: 5 }, { inserted: 4, duplicates: 0 },
          { inserted: 2, duplicates: 0 }, { inserted: 2, duplicates: 0 },
        ]);
        assert.equal(await store.countReadings('pump-1'), 14);
        assert.equal(await store.countReadings('pump-2'), 5);
        assert.equal(await store.highestSeq('pump-1', 'motor'), 103);
      });

      it('a reading carried by two batches of one call is stored once and counted as new for the earlier batch in the call', async () => {
        const results = await store.writeTelemetry([
          batch('pump-1', 'pump', 1, 10), // 1..10
          batch('pump-1', 'pump', 6, 10), // 6..15: 6..10 repeat the first batch
          batch('pump-1', 'pump', 1, 10), // all repeats
        ]);
        assert.deepEqual(results, [{ inserted: 10, duplicates: 0 }, { inserted: 5, duplicates: 5 }, { inserted: 0, duplicates: 10 }]);
        assert.equal(await store.countReadings('pump-1'), 15);
        const reversed = await store.writeTelemetry([batch('pump-2', 'pump', 6, 10), batch('pump-2', 'pump', 1, 10)]);
        assert.deepEqual(reversed, [{ inserted: 10, duplicates: 0 }, { inserted: 5, duplicates: 5 }]);
      });

      it('an empty batch and an empty call store nothing', async () => {
        assert.deepEqual(await store.writeTelemetry([]), []);
        assert.deepEqual(await store.writeTelemetry([batch('pump-1', 'pump', 1, 0)]), [{ inserted: 0, duplicates: 0 }]);
        assert.equal(await store.countReadings(), 0);
      });

      it('telemetry for an unprovisioned device fails with EH_NOT_FOUND and nothing of that call is stored', async () => {
        await rejectsWith(store.writeTelemetry([batch('pump-1', 'pump', 1, 5), batch('ghost', 'pump', 1, 5)]), 'EH_NOT_FOUND');
        assert.equal(await store.countReadings(), 0);
        assert.equal(await store.highestSeq('pump-1', 'pump'), 0);
        assert.deepEqual(await store.writeTelemetry([batch('pump-1', 'pump', 1, 5)]), [{ inserted: 5, duplicates: 0 }]);
      });

      it('a call of 40 batches x 250 readings x 16 features is stored whole', async () => {
        const features = Array.from({ length: 16 }, (_, i) => `f${i}`);
        const batches = Array.from({ length: 40 }, (_, b) => {
          const readings = Array.from({ length: 250 }, (_, i) => ({ tsMs: T0 + (b * 250 + i) * 10, values: Float64Array.from(features, (_, j) => b + i / 1000 + j) }));
          return batch(b % 2 ? 'pump-1' : 'pump-2', `s${b % 4}`, 1 + Math.floor(b / 4) * 250, 250, { features, readings });
        });
        const results = await store.writeTelemetry(batches);
        assert.equal(results.length, 40);
        assert.ok(results.every((r) => r.inserted === 250 && r.duplicates === 0));
        assert.equal(await store.countReadings(), 10_000);
        const again = await store.writeTelemetry(batches.slice(10, 12));
        assert.deepEqual(again, [{ inserted: 0, duplicates: 250 }, { inserted: 0, duplicates: 250 }]);
        const page = await store.queryTelemetry('pump-1', { stream: 's3', limit: 1 });
        assert.deepEqual(page.features, { s3: features });
        assert.deepEqual(page.readings[0]?.values, features.map((_, j) => 3 + j));
      });
    });

    describe('telemetry reads', () => {
      beforeEach(async () => {
        await store.createDevice(device('pump-1'));
        await store.createDevice(device('pump-2', { publicKey: key(2) }));
      });

      it('missing values (NaN) come back as null and every other value exactly', async () => {
        const values = [Number.NaN, 0.1, -273.15, 1e-300, 1.7976931348623157e308, 123456.78901234567, 0, Number.NaN];
        const features = values.map((_, i) => `f${i}`);
        await store.writeTelemetry([batch('pump-1', 'pump', 1, 1, { features, readings: [{ tsMs: T0, values: Float64Array.from(values) }] })]);
        const page = await store.queryTelemetry('pump-1', { limit: 10 });
        assert.deepEqual(page.readings, [{ stream: 'pump', seq: 1, tsMs: T0, values: [null, 0.1, -273.15, 1e-300, 1.7976931348623157e308, 123456.78901234567, 0, null] }]);
        assert.deepEqual(page.features, { pump: features });
      });

      it('queries by time range (both ends inclusive), stream and limit, oldest first', async () => {
        await store.writeTelemetry([batch('pump-1', 'pump', 1, 20), batch('pump-1', 'motor', 1, 20), batch('pump-2', 'pump', 1, 20)]);
        const seqs = (p: Awaited<ReturnType<Store['queryTelemetry']>>) => p.readings.map((r) => `${r.stream}:${r.seq}`);
        const one = await store.queryTelemetry('pump-1', { stream: 'pump', fromMs: T0 + 5000, toMs: T0 + 8000, limit: 100 });
        assert.deepEqual(seqs(one), ['pump:5', 'pump:6', 'pump:7', 'pump:8']);
        assert.deepEqual(one.readings[0], { stream: 'pump', seq: 5, tsMs: T0 + 5000, values: [5, 5.5, -5] });
        assert.deepEqual(one.features, { pump: FEATURES });
        const limited = await store.queryTelemetry('pump-1', { stream: 'pump', fromMs: T0 + 5000, limit: 3 });
        assert.deepEqual(seqs(limited), ['pump:5', 'pump:6', 'pump:7']);
        const both = await store.queryTelemetry('pump-1', { fromMs: T0 + 19_000, limit: 100 });
        assert.deepEqual(both.readings.map((r) => r.tsMs), [T0 + 19_000, T0 + 19_000, T0 + 20_000, T0 + 20_000]);
        assert.deepEqual(new Set(seqs(both)), new Set(['pump:19', 'motor:19', 'pump:20', 'motor:20']));
        assert.deepEqual(Object.keys(both.features).sort(), ['motor', 'pump']);
        const upTo = await store.queryTelemetry('pump-1', { stream: 'motor', toMs: T0 + 2000, limit: 100 });
        assert.deepEqual(seqs(upTo), ['motor:1', 'motor:2']);
        const all = await store.queryTelemetry('pump-1', { limit: 1000 });
        assert.equal(all.readings.length, 40);
        assert.ok(all.readings.every((r, i) => i === 0 || r.tsMs >= all.readings[i - 1]!.tsMs));
      });

      it('a query that matches nothing returns no readings and no features', async () => {
        await store.writeTelemetry([batch('pump-1', 'pump', 1, 5)]);
        const empty = { features: {}, readings: [] };
        assert.deepEqual(await store.queryTelemetry('nobody', { limit: 10 }), empty);
        assert.deepEqual(await store.queryTelemetry('pump-1', { stream: 'other', limit: 10 }), empty);
        assert.deepEqual(await store.queryTelemetry('pump-1', { fromMs: T0 + 60_000, limit: 10 }), empty);
        assert.deepEqual(await store.queryTelemetry('pump-2', { limit: 10 }), empty);
      });

      it('readings written before a stream changed its features come back under the current features', async () => {
        await store.writeTelemetry([batch('pump-1', 'pump', 1, 2)]); // temp, vib, amps
        await store.writeTelemetry([batch('pump-1', 'pump', 3, 1, {
          features: ['amps', 'temp', 'rpm'], readings: [{ tsMs: T0 + 3000, values: [30, 10, 1500] }], receivedAtMs: T0 + 2_000_000,
        })]);
        const page = await store.queryTelemetry('pump-1', { limit: 10 });
        assert.deepEqual(page.features, { pump: ['amps', 'temp', 'rpm'] });
        assert.deepEqual(page.readings.map((r) => r.values), [[-1, 1, null], [-2, 2, null], [30, 10, 1500]]);
      });

      it('highestSeq is 0 for an unknown stream and the highest stored seq otherwise, gaps included', async () => {
        assert.equal(await store.highestSeq('pump-1', 'pump'), 0);
        await store.writeTelemetry([batch('pump-1', 'pump', 1, 5)]);
        await store.writeTelemetry([batch('pump-1', 'pump', 100, 3)]); // the agent dropped 6..99
        assert.equal(await store.highestSeq('pump-1', 'pump'), 102);
        await store.writeTelemetry([batch('pump-1', 'pump', 1, 5)]); // a late resend does not lower it
        assert.equal(await store.highestSeq('pump-1', 'pump'), 102);
        assert.equal(await store.highestSeq('pump-1', 'other'), 0);
        assert.equal(await store.highestSeq('pump-2', 'pump'), 0);
      });

      it('countReadings counts one device or all', async () => {
        assert.equal(await store.countReadings(), 0);
        await store.writeTelemetry([batch('pump-1', 'pump', 1, 7), batch('pump-1', 'motor', 1, 3), batch('pump-2', 'pump', 1, 4)]);
        assert.equal(await store.countReadings('pump-1'), 10);
        assert.equal(await store.countReadings('pump-2'), 4);
        assert.equal(await store.countReadings('nobody'), 0);
        assert.equal(await store.countReadings(), 14);
      });

      it('a device shows readings stored, drops summed over its streams, the backlog of its latest batch and when it was last heard', async () => {
        await store.writeTelemetry([batch('pump-1', 'pump', 1, 4, { droppedTotal: 10, backlog: 5, receivedAtMs: T0 + 1000 })]);
        await store.writeTelemetry([batch('pump-1', 'motor', 1, 2, { droppedTotal: 3, backlog: 2, receivedAtMs: T0 + 2000 })]);
        let d = await store.getDevice('pump-1');
        assert.equal(d?.readingsStored, 6);
        assert.equal(d?.droppedReadings, 13);
        assert.equal(d?.backlog, 2, 'backlog is the outbox size the latest batch reported, not a sum over streams');
        assert.equal(d?.lastSeenMs, T0 + 2000);
        await store.writeTelemetry([batch('pump-1', 'pump', 5, 1, { droppedTotal: 12, backlog: 0, receivedAtMs: T0 + 3000 })]);
        d = await store.getDevice('pump-1');
        assert.equal(d?.droppedReadings, 15);
        assert.equal(d?.backlog, 0);
        assert.equal(d?.lastSeenMs, T0 + 3000);
        const listed = (await store.listDevices({ group: 'plant-a' })).find((x) => x.id === 'pump-1');
        assert.deepEqual(listed, d);
      });
    });

    describe('tokens and audit', () => {
      it('finds a token by its hash and counts tokens', async () => {
        assert.equal(await store.countTokens(), 0);
        const admin = { id: 'tok-1', name: 'bootstrap admin', role: 'admin' as const, hash: 'a'.repeat(64), createdAtMs: T0 };
        await store.createToken(admin);
        await store.createToken({ id: 'tok-2', name: 'dashboard', role: 'viewer', hash: 'b'.repeat(64), createdAtMs: T0 + 1 });
        assert.deepEqual(await store.findTokenByHash('a'.repeat(64)), admin);
        assert.equal((await store.findTokenByHash('b'.repeat(64)))?.role, 'viewer');
        assert.equal(await store.findTokenByHash('c'.repeat(64)), null);
        assert.equal(await store.countTokens(), 2);
      });

      it('lists the newest audit entries first, with their details', async () => {
        for (let i = 1; i <= 5; i++) {
          await store.appendAudit({ atMs: T0 + i, actor: 'tok-1', action: 'device.provision', target: `pump-${i}`, ...(i % 2 ? { details: { n: i, group: 'north' } } : {}) });
        }
        const latest = await store.listAudit(3);
        assert.deepEqual(latest.map((e) => e.target), ['pump-5', 'pump-4', 'pump-3']);
        assert.deepEqual(latest[0], { atMs: T0 + 5, actor: 'tok-1', action: 'device.provision', target: 'pump-5', details: { n: 5, group: 'north' } });
        assert.equal(latest[1]?.details, undefined);
        assert.equal((await store.listAudit(100)).length, 5);
      });
    });

    describe('lifetime', () => {
      it('init() again on an open store keeps the data', async () => {
        await store.createDevice(device('pump-1'));
        await store.init();
        assert.ok(await store.getDevice('pump-1'));
      });

      it('everything survives close() and reopening, and a resend after reopening is still a duplicate', async () => {
        await store.createDevice(device('pump-1'));
        await store.setDeviceStatus('pump-1', { online: true, atMs: T0 + 1, agentVersion: '1.0.0' });
        await store.writeTelemetry([batch('pump-1', 'pump', 1, 10, { droppedTotal: 4, backlog: 2 })]);
        await store.createToken({ id: 'tok-1', name: 'admin', role: 'admin', hash: 'h'.repeat(64), createdAtMs: T0 });
        await store.appendAudit({ atMs: T0, actor: 'system', action: 'hub.start', target: 'hub' });
        const before = await store.getDevice('pump-1');
        await store.close();
        await store.close();

        const again = await h.reopen();
        await again.init();
        assert.deepEqual(await again.getDevice('pump-1'), before);
        assert.equal(await again.highestSeq('pump-1', 'pump'), 10);
        assert.deepEqual(await again.writeTelemetry([batch('pump-1', 'pump', 6, 10)]), [{ inserted: 5, duplicates: 5 }]);
        assert.equal(await again.countReadings(), 15);
        assert.equal((await again.queryTelemetry('pump-1', { limit: 100 })).readings.length, 15);
        assert.equal((await again.findTokenByHash('h'.repeat(64)))?.id, 'tok-1');
        assert.deepEqual(await again.listAudit(10), [{ atMs: T0, actor: 'system', action: 'hub.start', target: 'hub' }]);
      });
    });
  });
}
