/** The agent's bundle files on disk: chunk files that survive restarts, the trust file, the pointer file. */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { removeTempFiles, writeTempFile } from '../../edge-agent/bundles/atomic-file.ts';
import { ChunkStore } from '../../edge-agent/bundles/chunk-store.ts';
import { beginTrial, emptySlots, SlotStore } from '../../edge-agent/bundles/slots.ts';
import { mergeProvisioned, provisionedRoot, TrustStore, withFloor } from '../../edge-agent/bundles/trust-store.ts';
import { parseAgentConfig } from '../../shared/config/agent-config.ts';
import { makeKeys } from '../support/bundle-agent-fixtures.ts';
import { tempDir } from '../support/bundle-device.ts';

const tmp = tempDir('edgehive-bundle-store-');
after(() => tmp.remove());
let n = 0;
const fresh = () => join(tmp.dir, `t${n++}`);
const ID = 'c'.repeat(64);

describe('chunk store', () => {
  test('stored chunks are found again after a restart; damaged, foreign and half-written files are dropped', () => {
    const dir = fresh();
    const store = new ChunkStore(dir);
    store.put(ID, 0, new Uint8Array([1, 2, 3]));
    const name1 = store.put(ID, 1, new Uint8Array([4, 5]));
    store.put(ID, 2, new Uint8Array([6]));
    writeFileSync(join(dir, ID, name1), new Uint8Array([9, 9])); // bit rot
    writeFileSync(join(dir, ID, 'junk'), 'x');
    writeTempFile(join(dir, ID, '3-x'), new Uint8Array([7])); // killed before its rename
    const again = new ChunkStore(dir).list(ID, 3);
    assert.deepEqual([...again.have.keys()].sort(), [0, 2]);
    assert.equal(again.dropped, 2);
    assert.deepEqual(readdirSync(join(dir, ID)).length, 2, 'only the good chunks remain');
    assert.deepEqual(store.read(ID, again.have, 1).map((b) => [...b]), [[1, 2, 3]]);
  });

  test('chunks beyond the announced total are not counted', () => {
    const store = new ChunkStore(fresh());
    store.put(ID, 5, new Uint8Array([1]));
    assert.equal(store.list(ID, 3).have.size, 0);
  });

  test('removeAllBut keeps only the named download', () => {
    const dir = fresh();
    const store = new ChunkStore(dir);
    store.put(ID, 0, new Uint8Array([1]));
    store.put('d'.repeat(64), 0, new Uint8Array([1]));
    store.removeAllBut(ID);
    assert.deepEqual(readdirSync(dir), [ID]);
  });

  test('a bundle id that could escape the directory is refused', () => {
    assert.throws(() => new ChunkStore(fresh()).put('../x', 0, new Uint8Array([1])), { code: 'EH_ID_INVALID' });
  });
});

describe('trust store', () => {
  const k = makeKeys(Date.now());
  const bundles = (over: object) => parseAgentConfig({ fleet: k.fleet, deviceId: 'd', profile: 'p', dataDir: '/tmp/x', hub: { mqttUrl: 'mqtt://127.0.0.1:1' }, bundles: over }).bundles;

  test('without a root every bundle is refused with a message saying how to provision one', () => {
    assert.throws(() => provisionedRoot(bundles({}), k.fleet), (e: Error & { code?: string }) => e.code === 'EH_BUNDLE_KEY_UNKNOWN' && /no trusted root: provision the device with the fleet's root keys/.test(e.message));
  });

  test('the root comes inline or from a file holding the body or the signed root', () => {
    assert.deepEqual(provisionedRoot(bundles({ root: k.rootBody }), k.fleet), k.rootBody);
    const signedFile = join(fresh() + '-root.json');
    writeFileSync(signedFile, JSON.stringify(k.roots[0]));
    assert.deepEqual(provisionedRoot(bundles({ rootFile: signedFile }), k.fleet), k.rootBody);
    assert.throws(() => provisionedRoot(bundles({ root: k.rootBody }), 'another-fleet'), { code: 'EH_CONFIG_INVALID' });
  });

  test('learnt trust survives re-provisioning with the same or an older root, and a newer root keeps the version history', () => {
    const learnt = { root: { ...k.rootBody, version: 2 }, keyListVersion: 3, highestVersion: { pump: 7 } };
    assert.equal(mergeProvisioned(learnt, k.rootBody), learnt);
    const sameVersion = { root: k.rootBody, keyListVersion: 3, highestVersion: { pump: 7 } };
    assert.equal(mergeProvisioned(sameVersion, k.rootBody), sameVersion);
    const newer = { ...k.rootBody, version: 3 };
    assert.deepEqual(mergeProvisioned(learnt, newer), { root: newer, keyListVersion: 3, highestVersion: { pump: 7 } });
    const otherKeys = makeKeys(Date.now()).rootBody;
    assert.deepEqual(mergeProvisioned(sameVersion, otherKeys), { root: otherKeys, keyListVersion: 0, highestVersion: {} }, 'another trust chain starts afresh');
  });

  test('installed versions floor the history (a kill between the swap and the trust write)', () => {
    const t = withFloor({ root: k.rootBody, keyListVersion: 1, highestVersion: { pump: 2 } }, [{ model: 'pump', version: 3 }, { model: 'fan', version: 1 }, { model: 'pump', version: 1 }]);
    assert.deepEqual(t.highestVersion, { pump: 3, fan: 1 });
  });

  test('the trust file round-trips; a damaged one is moved aside and reported', () => {
    const dir = fresh();
    const store = new TrustStore(dir);
    const state = { root: k.rootBody, keyListVersion: 2, highestVersion: { pump: 4 } };
    store.save(state);
    assert.deepEqual(new TrustStore(dir).load(() => assert.fail('not damaged')), state);
    writeFileSync(store.file, '{"root": 1');
    let moved = '';
    assert.equal(new TrustStore(dir).load((_why, aside) => { moved = aside; }), null);
    assert.ok(existsSync(moved) && !existsSync(store.file));
  });
});

describe('slot pointer file', () => {
  test('saved state loads back; temp files from a killed writer are removed', () => {
    const dir = fresh();
    const store = new SlotStore(dir);
    const s = beginTrial(emptySlots(), 'a', { bundleId: ID, model: 'pump', version: 1, variant: 'fp32' });
    store.save(s);
    writeTempFile(store.file, 'half');
    assert.equal(removeTempFiles(dir), 1);
    assert.deepEqual(new SlotStore(dir).load(() => assert.fail('not damaged')), s);
    assert.deepEqual(readdirSync(dir), ['slots.json']);
  });

  test('a damaged pointer file is moved aside rather than guessed at', () => {
    const dir = fresh();
    const store = new SlotStore(dir);
    store.save(emptySlots());
    writeFileSync(store.file, '{"active": "c"}');
    let why = '';
    assert.equal(store.load((w) => { why = w; }), null);
    assert.match(why, /active/);
  });
});
