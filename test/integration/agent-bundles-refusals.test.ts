/**
 * Every refusal a running agent makes, each reported with its code while the model it already
 * runs keeps scoring: trust (signature, keys, threshold), manifest (expiry, version, fleet,
 * profile, agent version), content (artefact hash), transport (chunks), and a model that fails
 * its health check (the previous slot comes back by itself).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateSigningKey, signDocument, type BuiltBundle } from '../../shared/bundle/index.ts';
import { topicsFor } from '../../shared/protocol/topics.ts';
import {
  chunkMessages, FLEET, keyList, makeBundle, makeKeys, publishChunks, reencode, setDesired, tinyModel, type Shippable, type TestKeys,
} from '../support/bundle-agent-fixtures.ts';
import { deviceConfig, ReportWatcher, startDevice, tempDir, waitFor, waitForBundle, type Device } from '../support/bundle-device.ts';
import { PlainBroker } from '../support/plain-broker.ts';

const NOW = Date.now();
const DEV = 'dev-refuse';
const t = topicsFor(FLEET);
let seq = 0;
/** A creation time of its own: two bundles with the same manifest are the same bundle (the id is its hash). */
const fresh = (): number => NOW - ++seq * 10;

describe('agent bundle refusals', () => {
  let broker: PlainBroker;
  let watcher: ReportWatcher;
  let k: TestKeys;
  let v2: BuiltBundle;
  let d: Device;
  const tmp = tempDir();

  before(async () => {
    broker = await PlainBroker.start();
    watcher = await ReportWatcher.start(broker.url);
    k = makeKeys(NOW);
    v2 = await makeBundle(k, { version: 2, nowMs: NOW });
    await publishChunks(broker, v2);
    d = await startDevice(deviceConfig({ url: broker.url, deviceId: DEV, dataDir: join(tmp.dir, DEV), root: k.rootBody }), { });
    await setDesired(broker, DEV, v2);
    await waitForBundle(d.agent, 'v2 active', (s) => s.active?.bundleId === v2.id && s.phase === 'active');
  });

  after(async () => {
    await d.agent.stop();
    await watcher.close();
    await broker.close();
    tmp.remove();
  });

  /** Offers `b`, waits for its refusal, and checks the report and that v2 still runs and scores. */
  async function refused(b: Shippable, code: string, o: { message?: RegExp; phase?: string; over?: Parameters<typeof setDesired>[3]; chunks?: boolean } = {}): Promise<void> {
    if (o.chunks !== false) await publishChunks(broker, b);
    await setDesired(broker, DEV, b, o.over);
    const phase = o.phase ?? 'failed';
    await waitForBundle(d.agent, `${code} for ${b.id.slice(0, 8)}`, (s) => s.lastError?.bundleId === b.id && s.phase === phase);
    const s = d.agent.bundleState();
    assert.equal(s.lastError?.code, code, s.lastError?.message);
    if (o.message) assert.match(s.lastError!.message, o.message);
    assert.equal(s.active?.bundleId, v2.id, 'the old model keeps running');
    await waitFor(`reported ${code}`, () => watcher.latest.get(DEV)?.errorCode === code && watcher.latest.get(DEV)?.failedBundle === b.id, 5000);
    assert.equal(watcher.latest.get(DEV)?.active?.bundleId, v2.id);
    const before = d.scores.length;
    d.sensor.emit(6);
    d.agent.flush();
    await waitFor('scored by v2', () => d.scores.length >= before + 6);
    assert.ok(d.scores.slice(before).every((x) => x.modelId === 'pump@2/fp32'));
  }

  test('a damaged signature', async () => {
    const b = reencode(await makeBundle(k, { version: 3, nowMs: fresh() }), {
      block: (blk) => ({ ...blk, signatures: blk.signatures.map((s) => ({ ...s, sig: `${s.sig.startsWith('A') ? 'B' : 'A'}${s.sig.slice(1)}` })) }),
    });
    await refused(b, 'EH_BUNDLE_SIGNATURE', { message: /does not verify/ });
  });

  test('a key the signing-key list does not name', async () => {
    const stranger = generateSigningKey();
    const b = reencode(await makeBundle(k, { version: 3, nowMs: fresh() }), { block: (blk, p) => ({ ...blk, signatures: [signDocument('manifest', p.manifestBytes, stranger)] }) });
    await refused(b, 'EH_BUNDLE_KEY_UNKNOWN');
  });

  test('a revoked key', async () => {
    const other = generateSigningKey();
    const v2list = keyList(k, { version: 2, nowMs: fresh(), keys: [{ key: other, expiresMs: NOW + 1e9 }], revoked: [k.signer.keyId] });
    const b = reencode(await makeBundle(k, { version: 3, nowMs: fresh() }), { block: (blk) => ({ ...blk, keys: v2list }) });
    await refused(b, 'EH_BUNDLE_KEY_REVOKED', { message: /revoked/ });
  });

  test('an expired signing key', async () => {
    const old = generateSigningKey();
    const list = keyList(k, { version: 1, nowMs: fresh(), keys: [{ key: old, expiresMs: NOW - 5000 }] });
    const b = await makeBundle(k, { version: 3, nowMs: fresh(), createdMs: NOW - 60_000, signer: old, keys: list });
    await refused(b, 'EH_BUNDLE_KEY_EXPIRED');
  });

  test('a signing-key list with fewer root signatures than the threshold', async () => {
    const thin = keyList(k, { version: 1, nowMs: fresh(), keys: [{ key: k.signer, expiresMs: NOW + 1e9 }], signers: [k.rootKeys[0]!] });
    const b = reencode(await makeBundle(k, { version: 3, nowMs: fresh() }), { block: (blk) => ({ ...blk, keys: thin }) });
    await refused(b, 'EH_BUNDLE_THRESHOLD');
  });

  test('an expired manifest', async () => {
    await refused(await makeBundle(k, { version: 3, nowMs: fresh(), createdMs: NOW - 60_000, expiresMs: NOW - 1000 }), 'EH_BUNDLE_EXPIRED');
  });

  test('a version not above the highest seen: replay of the same version and a downgrade', async () => {
    await refused(await makeBundle(k, { version: 2, nowMs: fresh() }), 'EH_BUNDLE_REPLAY');
    await refused(await makeBundle(k, { version: 1, nowMs: fresh() }), 'EH_BUNDLE_REPLAY');
  });

  test('an artefact that does not match its hash in the manifest', async () => {
    const b = reencode(await makeBundle(k, { version: 3, nowMs: fresh() }), { artefacts: (a) => { const pre = a[1]!; pre[5] = pre[5]! ^ 1; return a; } });
    await refused(b, 'EH_BUNDLE_HASH', { message: /preprocess\.json/ });
  });

  test('another fleet, another profile, a newer minimum agent version', async () => {
    const foreign = makeKeys(NOW, 'fleet-z');
    await refused(await makeBundle(foreign, { version: 3, nowMs: fresh() }), 'EH_BUNDLE_TARGET');
    await refused(await makeBundle(k, { version: 3, nowMs: fresh(), targets: [{ profile: 'big-box', latencyBudgetMs: 10 }] }), 'EH_BUNDLE_TARGET');
    await refused(await makeBundle(k, { version: 3, nowMs: fresh(), minAgentVersion: '9.0.0' }), 'EH_BUNDLE_AGENT_TOO_OLD');
  });

  test('chunks: too many announced, truncated, a wrong index, a wrong hash that persists', async () => {
    const big = await makeBundle(k, { version: 3, nowMs: fresh(), padBytes: 600_000 });
    const n = chunkMessages(big).length;
    await refused(big, 'EH_BUNDLE_CHUNK', { over: { chunks: n + 1 }, chunks: false, message: /too many chunks/ });
    assert.ok(!broker.subscriptions(DEV).some((s) => s.includes(big.id)), 'refused before downloading');

    const short = await makeBundle(k, { version: 3, nowMs: fresh() });
    await refused(short, 'EH_BUNDLE_CHUNK', { over: { bytes: short.bytes.length + 10 }, message: /truncated/ });

    const swapped = await makeBundle(k, { version: 3, nowMs: fresh(), padBytes: 300_000 });
    const wrongIndex = chunkMessages(swapped, (c) => (c.index === 1 ? { ...c, index: 0 } : c));
    await publishChunks(broker, swapped, { messages: wrongIndex });
    await refused(swapped, 'EH_BUNDLE_CHUNK', { chunks: false, message: /says it is chunk 0/ });

    const damaged = await makeBundle(k, { version: 3, nowMs: fresh(), padBytes: 300_000 });
    await publishChunks(broker, damaged, { messages: chunkMessages(damaged, (c) => (c.index === 1 ? { ...c, sha256: new Uint8Array(32) } : c)) });
    await refused(damaged, 'EH_BUNDLE_CHUNK', { chunks: false, message: /bad 3 times/ });
    const chunk1 = t.bundleChunk(damaged.id, 1);
    assert.equal(broker.subscriptions(DEV).filter((s) => s === chunk1).length, 3, 'the bad chunk was requested again before giving up');
  });

  test('a model that does not load: health check fails and the previous slot comes back by itself', async () => {
    const broken = await makeBundle(k, { version: 5, nowMs: fresh(), onnx: new Uint8Array(512).fill(7), checkModel: tinyModel() });
    await refused(broken, 'EH_BUNDLE_HEALTH', { phase: 'rolled-back', message: /does not load/ });
    const r = watcher.latest.get(DEV)!;
    assert.equal(r.phase, 'rolled-back');
    assert.equal(r.active?.healthy, true);

    // Asked again, it is not installed again: the failure is reported again.
    const subs = broker.subscriptions(DEV).length;
    await setDesired(broker, DEV, v2);
    await waitForBundle(d.agent, 'back to desired v2', (s) => s.phase === 'active');
    await setDesired(broker, DEV, broken);
    await waitForBundle(d.agent, 'failed again', (s) => s.phase === 'failed' && s.lastError?.bundleId === broken.id);
    assert.equal(d.agent.bundleState().lastError?.code, 'EH_BUNDLE_HEALTH');
    assert.equal(broker.subscriptions(DEV).length, subs, 'no download for a bundle that failed here');
  });

  test('a damaged chunk that the hub replaces is fetched again and the bundle installs', async () => {
    const b = await makeBundle(k, { version: 6, nowMs: fresh(), padBytes: 300_000 });
    const good = chunkMessages(b);
    await publishChunks(broker, b, { messages: chunkMessages(b, (c) => (c.index === 1 ? { ...c, data: c.data.slice(1) } : c)) });
    await setDesired(broker, DEV, b);
    const chunk1 = t.bundleChunk(b.id, 1);
    await waitFor('the damaged copy to be dropped', () => broker.unsubscriptions(DEV).includes(chunk1));
    await broker.publish(chunk1, good[1]!.payload);
    await waitForBundle(d.agent, 'v6 active', (s) => s.active?.bundleId === b.id && s.phase === 'active');
    assert.equal(broker.subscriptions(DEV).filter((x) => x === chunk1).length, 2, 'requested once more after the bad copy');
  });
});

describe('agent without a root', () => {
  test('refuses every bundle and says how to provision one', async () => {
    const broker = await PlainBroker.start();
    const tmp = tempDir();
    const k = makeKeys(NOW);
    const b = await makeBundle(k, { version: 1, nowMs: fresh() });
    await publishChunks(broker, b);
    const d = await startDevice(deviceConfig({ url: broker.url, deviceId: 'dev-noroot', dataDir: join(tmp.dir, 'x'), root: null }));
    try {
      await setDesired(broker, 'dev-noroot', b);
      await waitForBundle(d.agent, 'refusal', (s) => s.phase === 'failed');
      const s = d.agent.bundleState();
      assert.equal(s.lastError?.code, 'EH_BUNDLE_KEY_UNKNOWN');
      assert.match(s.lastError!.message, /no trusted root: provision the device with the fleet's root keys/);
      assert.equal(s.active, null);
      assert.ok(!broker.subscriptions('dev-noroot').some((x) => x.includes(b.id)), 'nothing downloaded');
    } finally {
      await d.agent.stop();
      await broker.close();
      tmp.remove();
    }
  });
});
