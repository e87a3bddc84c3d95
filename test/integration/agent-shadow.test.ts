/**
 * Shadow evaluation on a real agent: a real broker, real signed bundles, real ONNX Runtime. The
 * desired state names a challenger beside the champion; the agent fetches and verifies it, runs
 * it on the same readings, and reports the comparison in its retained reported state; refusals
 * leave the champion alone; clearing stops it; promotion installs it without a new download and
 * is not refused as a replay; a restart resumes it.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BuiltBundle } from '../../shared/bundle/index.ts';
import { splitBundle } from '../../shared/bundle/index.ts';
import { topicsFor } from '../../shared/protocol/topics.ts';
import type { ScoredReading } from '../../edge-agent/runtime/model-host.ts';
import { FEATURES, FLEET, makeBundle, makeKeys, publishChunks, reencode, setDesired, tinyModel, WINDOW, type Shippable, type TestKeys } from '../support/bundle-agent-fixtures.ts';
import { deviceConfig, ReportWatcher, startDevice, tempDir, waitFor, waitForBundle, type Device } from '../support/bundle-device.ts';
import { PlainBroker } from '../support/plain-broker.ts';
import { reconstructionModel } from '../support/tiny-onnx.ts';
import { AdaptiveThreshold, ConformalScore } from '../../edge-agent/runtime/index.ts';

const NOW = Date.now();
const t = topicsFor(FLEET);
const READINGS = 240;
/**
 * A device that alerts on the top fifth of its recent scores: the product default alerts once per
 * incident and the driven readings hold none, so every model would agree on "no alert".
 */
const eager = { normaliser: () => new ConformalScore({ history: 1000, minHistory: 10 }), detector: () => new AdaptiveThreshold({ level: 0.8 }) };

describe('agent shadow evaluation', () => {
  let broker: PlainBroker;
  let watcher: ReportWatcher;
  let keys: TestKeys;
  let champion: BuiltBundle;
  /** The champion's weights under a newer version. */
  let same: BuiltBundle;
  /** Another model: reconstructs each feature from the other one. */
  let other: BuiltBundle;
  const tmp = tempDir('edgehive-shadow-');
  const devices: Device[] = [];

  before(async () => {
    broker = await PlainBroker.start();
    watcher = await ReportWatcher.start(broker.url);
    keys = makeKeys(NOW);
    champion = await makeBundle(keys, { version: 1, nowMs: NOW, onnx: tinyModel(0.5) });
    same = await makeBundle(keys, { version: 2, nowMs: NOW, onnx: tinyModel(0.5) });
    other = await makeBundle(keys, { version: 3, nowMs: NOW, onnx: reconstructionModel(WINDOW, FEATURES.length, [0, 1, 1, 0], [0, 0]) });
    for (const b of [champion, same, other]) await publishChunks(broker, b);
  });

  after(async () => {
    for (const d of devices) await d.agent.stop();
    await watcher.close();
    await broker.close();
    tmp.remove();
  });

  async function device(id: string, dataDir = join(tmp.dir, id)): Promise<Device> {
    const d = await startDevice(deviceConfig({ url: broker.url, deviceId: id, dataDir, root: keys.rootBody, bundles: { reportEveryMs: 150 } }), { scoring: eager });
    devices.push(d);
    return d;
  }

  const shadowOf = (d: Device) => d.agent.shadowState().report;
  const reported = (id: string) => watcher.latest.get(id)?.shadow ?? null;
  const shadowFile = (d: Device) => join(d.config.dataDir, 'bundles', 'shadow.ehb');

  /** Champion v1 active and, when given, the challenger running. */
  async function withShadow(id: string, challenger: Shippable | null): Promise<Device> {
    const d = await device(id);
    await setDesired(broker, id, champion, { shadow: challenger });
    await waitForBundle(d.agent, 'champion active', (s) => s.active?.bundleId === champion.id && s.phase === 'active');
    if (challenger !== null) await waitFor('shadow running', () => shadowOf(d)?.phase === 'running', 10_000, () => shadowOf(d));
    return d;
  }

  async function drive(d: Device, n = READINGS): Promise<ScoredReading[]> {
    const from = d.scores.length;
    d.sensor.emit(n);
    d.agent.flush();
    await waitFor(`${n} scores`, () => d.scores.length >= from + n);
    await d.agent.scored();
    return d.scores.slice(from);
  }

  const chunkDeliveries = (id: string, b: Shippable) => splitBundle(b.bytes).reduce((n, c) => n + broker.deliveries(id, t.bundleChunk(b.id, c.index)), 0);

  test('an identical challenger agrees fully, another model does not, both score the same readings, and the champion\'s scores are unchanged', async () => {
    const [plain, twin, rival] = await Promise.all([withShadow('dev-plain', null), withShadow('dev-twin', same), withShadow('dev-rival', other)]);
    const base = await drive(plain);
    const a = await drive(twin);
    const b = await drive(rival);
    const view = (xs: ScoredReading[]) => xs.map((s) => [s.raw, s.score, s.detection]);
    assert.deepEqual(view(a), view(base), 'the champion scores exactly as without a shadow');
    assert.deepEqual(view(b), view(base));
    const both = base.filter((s) => Number.isFinite(s.raw)).length;
    assert.equal(both, READINGS - WINDOW + 1);

    await waitFor('twin figures reported', () => Number(reported('dev-twin')?.inferences ?? 0) === both, 5000, () => reported('dev-twin'));
    await waitFor('rival figures reported', () => Number(reported('dev-rival')?.inferences ?? 0) === both, 5000, () => reported('dev-rival'));
    const rt = reported('dev-twin')!;
    assert.equal(rt.bundleId, same.id);
    assert.equal(rt.phase, 'running');
    assert.equal(rt.agreement, 1);
    assert.equal(rt.scoreJs, 0);
    assert.equal(rt.championMeanScore, rt.challengerMeanScore);
    assert.equal(Number(rt.championDetections), Number(rt.challengerDetections));
    assert.ok(Number(rt.championDetections) > 0, 'the champion alerted, so agreement compares alerts too');
    assert.equal(Number(rt.challengerErrors), 0);
    assert.ok((rt.championLatencyP99Ms ?? 0) > 0 && (rt.challengerLatencyP99Ms ?? 0) > 0, `latencies ${rt.championLatencyP99Ms} ${rt.challengerLatencyP99Ms}`);

    const rr = reported('dev-rival')!;
    assert.equal(rr.bundleId, other.id);
    assert.ok((rr.agreement ?? 1) < 1, `agreement ${rr.agreement}`);
    assert.ok((rr.scoreJs ?? 0) > 0, `js ${rr.scoreJs}`);
    assert.equal(Number(rr.championDetections), Number(rt.championDetections), 'the same champion alerts alike beside either challenger');
    assert.notEqual(Number(rr.challengerDetections), 0);
    assert.equal(Number(rr.challengerErrors), 0);

    // Verifying a challenger never raises the highest version seen: its promotion must not be a replay.
    const trust = JSON.parse(readFileSync(join(twin.config.dataDir, 'bundles', 'trust.json'), 'utf8')) as { highestVersion: Record<string, number> };
    assert.equal(trust.highestVersion.pump, 1);
    assert.ok(existsSync(shadowFile(twin)));
    assert.deepEqual(JSON.parse(readFileSync(join(twin.config.dataDir, 'bundles', 'slots.json'), 'utf8')).slots.b, null, 'the challenger is in no slot');
  });

  test('a challenger with a bad signature, or failing its health check, fails; the champion runs on untouched', async () => {
    const badSig = reencode(await makeBundle(keys, { version: 4, nowMs: NOW }), {
      block: (blk) => ({ ...blk, signatures: blk.signatures.map((s) => ({ ...s, sig: `${s.sig.startsWith('A') ? 'B' : 'A'}${s.sig.slice(1)}` })) }),
    });
    const badCheck = await makeBundle(keys, { version: 5, nowMs: NOW, onnx: tinyModel(2), checkModel: tinyModel(0.5) });
    await publishChunks(broker, badSig);
    await publishChunks(broker, badCheck);
    for (const [id, b, code] of [['dev-badsig', badSig, 'EH_BUNDLE_SIGNATURE'], ['dev-badcheck', badCheck, 'EH_BUNDLE_HEALTH']] as const) {
      const d = await device(id);
      await setDesired(broker, id, champion, { shadow: b });
      await waitFor(`${code} reported`, () => reported(id)?.phase === 'failed', 10_000, () => reported(id));
      const r = reported(id)!;
      assert.equal(r.bundleId, b.id);
      assert.equal(r.errorCode, code, r.errorMessage ?? '');
      assert.ok((r.errorMessage ?? '').length > 0);
      // A bad signature fails faster than the champion installs from the same desired state.
      await waitFor('the champion active', () => d.agent.bundleState().active?.bundleId === champion.id, 10_000, () => d.agent.bundleState());
      assert.equal(d.agent.bundleState().active?.bundleId, champion.id);
      assert.equal(d.agent.bundleState().lastError, null, 'the champion\'s install state is untouched');
      assert.ok(!existsSync(shadowFile(d)));
      const scores = await drive(d, 20);
      assert.ok(scores.every((s) => s.modelId === 'pump@1/fp32'));
    }
  });

  test('clearing the shadow stops it and removes its file', async () => {
    const d = await withShadow('dev-clear', other);
    await drive(d, 30);
    await waitFor('some inferences', () => (shadowOf(d)?.inferences ?? 0) > 0);
    await setDesired(broker, 'dev-clear', champion);
    await waitFor('stopped reported', () => reported('dev-clear')?.phase === 'stopped', 5000, () => reported('dev-clear'));
    assert.ok(!existsSync(shadowFile(d)));
    const before = shadowOf(d)!.inferences;
    assert.ok(before > 0, 'the figures it ended with stay in the report');
    await drive(d, 30);
    assert.equal(shadowOf(d)!.inferences, before, 'a stopped challenger scores nothing');
    assert.equal(d.agent.bundleState().active?.bundleId, champion.id);
  });

  test('promoting the challenger installs it from its file, with no new download and no replay refusal', async () => {
    const id = 'dev-promote';
    const d = await withShadow(id, same);
    const delivered = chunkDeliveries(id, same);
    assert.ok(delivered >= 1, 'the challenger was downloaded once');
    await setDesired(broker, id, same);
    await waitForBundle(d.agent, 'challenger active', (s) => s.active?.bundleId === same.id && s.phase === 'active');
    assert.equal(d.agent.bundleState().lastError, null);
    assert.equal(chunkDeliveries(id, same), delivered, 'no chunk of it was delivered again');
    await waitFor('shadow stopped', () => shadowOf(d)?.phase === 'stopped', 5000, () => shadowOf(d));
    assert.ok(!existsSync(shadowFile(d)));
    const trust = JSON.parse(readFileSync(join(d.config.dataDir, 'bundles', 'trust.json'), 'utf8')) as { highestVersion: Record<string, number> };
    assert.equal(trust.highestVersion.pump, 2, 'installing it raised the highest version, as any install does');
    const scores = await drive(d, 10);
    assert.ok(scores.every((s) => s.modelId === 'pump@2/fp32'));
  });

  test('a restart resumes the challenger from its verified file, figures from zero, without downloading it again', async () => {
    const id = 'dev-restart';
    const d = await withShadow(id, other);
    await drive(d, 30);
    const delivered = chunkDeliveries(id, other);
    await d.agent.stop();
    devices.splice(devices.indexOf(d), 1);
    const again = await device(id, d.config.dataDir);
    // start() resolves once the restored challenger runs.
    assert.equal(shadowOf(again)?.phase, 'running');
    assert.equal(shadowOf(again)?.bundleId, other.id);
    assert.equal(shadowOf(again)?.inferences, 0);
    await waitFor('desired re-delivered', () => watcher.latest.get(id)?.shadow?.phase === 'running' && again.agent.stats().connected);
    await drive(again, 30);
    await waitFor('inferences after restart', () => (shadowOf(again)?.inferences ?? 0) > 0);
    assert.equal(chunkDeliveries(id, other), delivered, 'the challenger came from shadow.ehb');
  });
});
