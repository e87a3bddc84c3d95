/**
 * Bundles through a real hub: built from a registered model version (real ONNX variants, fp32
 * and dynamic int8), verified with the root a device is provisioned with, published as retained
 * chunks and desired states on the embedded broker, read by a device that connects with its
 * signed password after publication, cleared by garbage collection; reported states stored and
 * emitted; the bundles and keys API over real HTTP.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { MqttClient } from 'mqtt';
import { createToken } from '../../cloud-hub/api/auth.ts';
import { DataType, floatTensor, node, tensorValueInfo } from '../../cloud-hub/onnx/index.ts';
import { quantiseDynamic } from '../../cloud-hub/quantise/index.ts';
import type { BundleRecord, ReportedRecord } from '../../cloud-hub/store/rollout-store.ts';
import {
  buildBundle, generateSigningKey, joinChunks, loadHubTrust, makeKeyList, makeRoot, signKeyList, signRoot, verifyBundle, verifyOffline,
  type RootBody,
} from '../../shared/bundle/index.ts';
import { generateKeyPair, toBase64 } from '../../shared/crypto/ed25519.ts';
import { fitPreprocess, serialisePreprocessSpec } from '../../shared/features/index.ts';
import { decode, encode } from '../../shared/protocol/codec.ts';
import { topicsFor } from '../../shared/protocol/topics.ts';
import { systemClock } from '../../shared/time/clock.ts';
import { buildModel, seeded } from '../support/onnx-models.ts';
import { connectDevice, startTestHub, waitFor, ADMIN_TOKEN, type TestDevice, type TestHub } from './hub-helpers.ts';
import { testRecipe } from './registry-pipeline.ts';

const T0 = Date.UTC(2026, 0, 1);
const WINDOW = 4;
const FEATURES = ['f0', 'f1'];

/** x [N, 4, 2] → MatMul W [2, 2] → Add B → y [N, 4, 2]: a tiny reconstruction model. */
function mixer(seed: number): Uint8Array {
  const rand = seeded(seed);
  const w = Float32Array.from({ length: 4 }, () => rand() * 2 - 1);
  const b = Float32Array.from({ length: 2 }, () => rand() * 0.2 - 0.1);
  return buildModel({
    input: tensorValueInfo('x', DataType.FLOAT, ['N', WINDOW, FEATURES.length]),
    output: tensorValueInfo('y', DataType.FLOAT, ['N', WINDOW, FEATURES.length]),
    initialisers: [floatTensor('W', [2, 2], w), floatTensor('B', [2], b)],
    nodes: [node('MatMul', ['x', 'W'], ['m'], [], 'mix'), node('Add', ['m', 'B'], ['y'], [], 'bias')],
  });
}

/** Registers a ready version: fp32 for rpi4 and x86-gateway, int8 for rpi5, nothing fits rpi-zero-2w. */
async function registerVersion(t: TestHub, name = 'pump-ae'): Promise<number> {
  const rows = Array.from({ length: 64 }, (_, i) => [Math.sin(i / 3), Math.cos(i / 5)]);
  await t.hub.provision({ id: 'trainer-src', profile: 'rpi4', publicKey: toBase64(generateKeyPair().publicKey) });
  await t.hub.store.writeTelemetry([{
    device: 'trainer-src', stream: 'vib', firstSeq: 1, features: FEATURES, droppedTotal: 0, backlog: 0, receivedAtMs: T0,
    readings: rows.map((values, i) => ({ tsMs: T0 + i * 1000, values })),
  }]);
  const spec = fitPreprocess(rows, { features: FEATURES, imputation: { method: 'last' }, normalisation: 'zscore', window: { length: WINDOW, stride: 2 } });
  const fp32 = mixer(3);
  const int8 = (await quantiseDynamic(fp32)).model;
  const v = await t.hub.registry.register({
    recipe: testRecipe(name),
    dataRange: { source: 'store', device: 'trainer-src', fromMs: T0, toMs: T0 + 63_000, rows: rows.length },
    files: { 'model.fp32.onnx': fp32, 'model.int8.onnx': int8, 'preprocess.json': new TextEncoder().encode(serialisePreprocessSpec(spec)) },
    complete: {
      status: 'ready', preprocess: spec,
      metrics: { fp32: { mse: 0.01 }, int8: { mse: 0.012 } },
      variants: [{ variant: 'fp32', file: 'model.fp32.onnx', accepted: true }, { variant: 'int8', file: 'model.int8.onnx', accepted: true }],
      plan: [
        { profile: 'rpi4', variant: 'fp32', reason: 'profile rpi4: fp32 (the class has no int8 dot-product instructions)', estimates: {} },
        { profile: 'x86-gateway', variant: 'fp32', reason: 'profile x86-gateway: fp32', estimates: {} },
        { profile: 'rpi5', variant: 'int8', reason: 'profile rpi5: int8', estimates: {} },
        { profile: 'rpi-zero-2w', variant: null, reason: 'profile rpi-zero-2w: estimated latency 412 ms, over inferenceLatencyBudgetMs 250 ms', estimates: {} },
      ],
    },
  });
  return v.version;
}

interface Received { messages: Map<string, Buffer>; client: MqttClient }

/** Subscribes and collects retained (and later) messages by topic; empty payloads delete. */
async function listen(client: MqttClient, filters: string[]): Promise<Received> {
  const messages = new Map<string, Buffer>();
  client.on('message', (topic, payload) => {
    if (payload.length === 0) messages.delete(topic);
    else messages.set(topic, payload);
  });
  await client.subscribeAsync(filters, { qos: 1 });
  return { messages, client };
}

describe('hub bundles', () => {
  let t: TestHub;
  let version: number;
  let root: RootBody;
  let viewer: string;
  const topics = () => topicsFor(t.fleet);
  const clients: MqttClient[] = [];

  const device = async (id: string, profile = 'rpi4'): Promise<TestDevice> => {
    const keys = generateKeyPair();
    const res = await t.hub.provision({ id, profile, publicKey: toBase64(keys.publicKey) });
    root = res.agentConfig.bundles!.root;
    return { id, keys, lastTs: 0 };
  };
  const connect = async (d: TestDevice): Promise<MqttClient> => {
    const c = await connectDevice(t.hub.mqttUrl, t.fleet, d);
    clients.push(c);
    return c;
  };
  const http = async (path: string, init: RequestInit & { token?: string } = {}) => {
    const res = await fetch(`${t.hub.httpUrl}${path}`, { ...init, headers: { authorization: `Bearer ${init.token ?? ADMIN_TOKEN}`, ...(init.headers ?? {}) } });
    const type = res.headers.get('content-type') ?? '';
    return { status: res.status, type, body: type.includes('json') ? await res.json() : new Uint8Array(await res.arrayBuffer()) };
  };

  before(async () => {
    t = await startTestHub();
    version = await registerVersion(t);
    viewer = (await createToken(t.hub.store, systemClock, 'screen', 'viewer')).token;
    await device('probe');
  });

  after(async () => {
    for (const c of clients) await c.endAsync().catch(() => undefined);
    await t.close();
  });

  it('builds one signed bundle per variant that a device verifies with the root it was provisioned with', async () => {
    const got = await t.hub.bundles.bundlesForVersion('pump-ae', version, ['rpi4', 'rpi5', 'x86-gateway']);
    const rpi4 = got.get('rpi4')!;
    const rpi5 = got.get('rpi5')!;
    assert.equal(rpi4.variant, 'fp32');
    assert.equal(rpi5.variant, 'int8');
    assert.equal(got.get('x86-gateway')!.id, rpi4.id, 'profiles sharing a variant share its bundle');
    assert.notEqual(rpi4.id, rpi5.id);

    const bytes = await t.hub.bundles.read(rpi4.id);
    const v = verifyBundle(bytes, { root, keyListVersion: 0, highestVersion: {} }, { fleet: t.fleet, profile: 'rpi4', agentVersion: '0.1.0', nowMs: Date.now() });
    const m = v.manifest;
    assert.equal(m.model, 'pump-ae');
    assert.equal(m.version, version);
    assert.equal(m.stream, 'vib', 'the stream the version was trained on');
    assert.equal(m.task, 'anomaly');
    assert.deepEqual(m.inputs, [{ name: 'x', dims: ['N', WINDOW, 2], type: 'float32' }]);
    assert.deepEqual(m.check.inputDims, [1, WINDOW, 2]);
    assert.equal(v.target.latencyBudgetMs, 100, 'rpi4\'s inferenceLatencyBudgetMs');
    assert.deepEqual(m.artefacts.map((a) => a.name), ['model.onnx', 'preprocess.json', 'model-card.md']);
    assert.equal(m.source.modelVersion, version);
    assert.ok(m.expiresMs - m.createdMs >= 89 * 24 * 3600 * 1000, 'valid for about 90 days');
    const int8Bytes = await t.hub.bundles.read(rpi5.id);
    assert.doesNotThrow(() => verifyOffline(int8Bytes, root, { nowMs: Date.now(), fleet: t.fleet, profile: 'rpi5' }));

    const again = await t.hub.bundles.bundlesForVersion('pump-ae', version, ['rpi4']);
    assert.equal(again.get('rpi4')!.id, rpi4.id, 'bundles are built once and reused');
    const audit = await t.hub.store.listAudit(50);
    assert.equal(audit.filter((e) => e.action === 'bundle.build').length, 2);
  });

  it('refuses a profile the plan cannot fit, naming the limit, and a profile the plan never saw', async () => {
    await assert.rejects(t.hub.bundles.bundlesForVersion('pump-ae', version, ['rpi4', 'rpi-zero-2w']),
      (e: { code: string; message: string }) => e.code === 'EH_PROFILE_UNFIT' && /rpi-zero-2w/.test(e.message) && /inferenceLatencyBudgetMs/.test(e.message));
    await assert.rejects(t.hub.bundles.bundlesForVersion('pump-ae', version, ['jetson-orin-nano']),
      (e: { code: string; message: string }) => e.code === 'EH_PROFILE_UNFIT' && /no plan for profile jetson-orin-nano/.test(e.message));
    await assert.rejects(t.hub.bundles.bundlesForVersion('pump-ae', version + 1, ['rpi4']), (e: { code: string }) => e.code === 'EH_NOT_FOUND');
    const rpi4 = (await t.hub.bundles.bundlesForVersion('pump-ae', version, ['rpi4'])).get('rpi4')!;
    assert.throws(() => t.hub.bundles.checkFits(rpi4, 'rpi5'), (e: { code: string }) => e.code === 'EH_PROFILE_UNFIT');
  });

  it('publishes chunks and the desired state retained, so a device connecting later gets both', async () => {
    // Over 256 KiB, so it travels in several chunks: the registry version plus reference statistics.
    const trust = loadHubTrust(join(t.dir, 'keys'), Date.now());
    const rpi4 = (await t.hub.bundles.bundlesForVersion('pump-ae', version, ['rpi4'])).get('rpi4')!;
    const { format: _format, artefacts: _artefacts, ...base } = rpi4.manifest;
    const stats = Uint8Array.from({ length: 600_000 }, (_, i) => (i * 31) & 0xff);
    const big = buildBundle({
      manifest: { ...base, version: version + 1 },
      artefacts: [{ name: 'model.onnx', kind: 'model.onnx', data: await t.hub.registry.readArtefact('pump-ae', version, 'model.fp32.onnx').then((a) => a.bytes) }, { name: 'stats.bin', kind: 'reference-stats', data: stats }],
      signer: trust.signer, roots: trust.roots, keys: trust.keys,
    });
    const bundle = await t.hub.bundles.upload(big.bytes, 'test');
    assert.equal(bundle.chunks, 3);
    const d = await device('pump-1');
    const before = t.hub.publisher.chunkBytesPublished;
    await t.hub.publisher.setDesired(d.id, bundle, 'dep-1');
    assert.ok(t.hub.publisher.chunkBytesPublished - before >= bundle.bytes, 'every chunk of the bundle went out');

    const c = await connect(d);
    const { messages } = await listen(c, [topics().device(d.id, 'desired'), topics().bundleChunks(bundle.id)]);
    await waitFor('desired state and chunks', () => messages.size === 1 + bundle.chunks, 5000);
    const desired = decode('desired', messages.get(topics().device(d.id, 'desired'))!);
    assert.equal(desired.bundleId, bundle.id);
    assert.equal(desired.bundleChunks, bundle.chunks);
    assert.equal(Number(desired.bundleBytes), bundle.bytes);
    assert.equal(desired.bundleSha256, bundle.sha256);
    assert.equal(desired.model, 'pump-ae');
    assert.equal(Number(desired.bundleVersion), version + 1);
    assert.equal(desired.deploymentId, 'dep-1');
    const chunks = Array.from({ length: bundle.chunks }, (_, i) => decode('bundle-chunk', messages.get(topics().bundleChunk(bundle.id, i))!).data);
    const joined = joinChunks(chunks, { bytes: bundle.bytes, sha256Hex: bundle.sha256 });
    assert.doesNotThrow(() => verifyOffline(joined, root, { nowMs: Date.now(), fleet: t.fleet, profile: 'rpi4' }));
    assert.equal((await t.hub.store.rollouts.getDesired(d.id))?.bundleId, bundle.id);

    const d2 = await device('pump-2');
    const mid = t.hub.publisher.chunkBytesPublished;
    await t.hub.publisher.setDesired(d2.id, bundle, 'dep-1');
    assert.equal(t.hub.publisher.chunkBytesPublished, mid, 'a bundle\'s chunks go out once per hub process');
  });

  it('clears the chunks of bundles no desired state names', async () => {
    const bundle = (await t.hub.bundles.bundlesForVersion('pump-ae', version, ['rpi5'])).get('rpi5')!;
    const d = await device('pump-5', 'rpi5');
    await t.hub.publisher.setDesired(d.id, bundle, null);
    assert.deepEqual((await t.hub.publisher.collectGarbage()).includes(bundle.id), false, 'a bundle still named keeps its chunks');
    await t.hub.publisher.setDesired(d.id, null, null);
    assert.ok((await t.hub.publisher.collectGarbage()).includes(bundle.id));

    const c = await connect(d);
    const { messages } = await listen(c, [topics().device(d.id, 'desired'), topics().bundleChunks(bundle.id)]);
    await waitFor('the desired state', () => messages.has(topics().device(d.id, 'desired')), 5000);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal([...messages.keys()].filter((k) => k.includes('/bundles/')).length, 0, 'no retained chunk is left');
    assert.equal(decode('desired', messages.get(topics().device(d.id, 'desired'))!).bundleId, '', 'the device is asked to run no bundle');
  });

  it('carries a deployment made through the hub\'s rollout manager to the device\'s retained desired state', async () => {
    const d = await device('pump-dep');
    const status = await t.hub.rollouts.create({ model: 'pump-ae', version, target: { devices: [d.id] }, waves: [{ percent: 100 }] }, 'test');
    const bundle = (await t.hub.bundles.bundlesForVersion('pump-ae', version, ['rpi4'])).get('rpi4')!;
    assert.equal(status.bundles['rpi4'], bundle.id);
    await waitFor('the desired state to be set', async () => (await t.hub.store.rollouts.getDesired(d.id))?.bundleId === bundle.id, 5000);
    const c = await connect(d);
    const { messages } = await listen(c, [topics().device(d.id, 'desired')]);
    await waitFor('the retained desired state', () => messages.size === 1, 5000);
    const desired = decode('desired', messages.get(topics().device(d.id, 'desired'))!);
    assert.equal(desired.bundleId, bundle.id);
    assert.equal(desired.deploymentId, status.id);
    const viaApi = await http(`/api/v1/deployments/${status.id}`, { token: viewer });
    assert.equal(viaApi.status, 200, 'the deployment routes are served');
    assert.equal((viaApi.body as { id: string }).id, status.id);
    await t.hub.rollouts.abort(status.id, 'test', 'done with the wiring check');
  });

  it('stores reported states, emits them, and rejects bad ones through the counted reject path', async () => {
    const d = await device('pump-r');
    const seen: ReportedRecord[] = [];
    const off = t.hub.reported.onReported((r) => { if (r.device === d.id) seen.push(r); });
    const c = await connect(d);
    const topic = topics().device(d.id, 'reported');
    await c.publishAsync(topic, Buffer.from(encode('reported', {
      tsMs: Date.now(), phase: 'downloading', desiredBundle: 'a'.repeat(64), installingBundle: 'a'.repeat(64), chunksHave: 3, chunksTotal: 9,
      active: { bundleId: 'b'.repeat(64), model: 'pump-ae', version: 1, healthy: true }, profile: 'rpi4', agentVersion: '0.1.0',
      inferences: 120, inferenceErrors: 2, latencyP99Ms: 4.5,
    })), { qos: 1, retain: true });
    await waitFor('the report to be stored', async () => (await t.hub.store.rollouts.getReported(d.id)) !== null, 5000);
    const stored = (await t.hub.store.rollouts.getReported(d.id))!;
    assert.equal(stored.phase, 'downloading');
    assert.equal(stored.chunksHave, 3);
    assert.equal(stored.activeBundle, 'b'.repeat(64));
    assert.equal(stored.activeVersion, 1);
    assert.equal(stored.failedBundle, null);
    assert.equal(stored.inferenceErrors, 2);
    await waitFor('the report to be emitted', () => seen.length === 1);
    assert.equal(seen[0]!.installingBundle, 'a'.repeat(64));
    off();

    const rejectsBefore = t.hub.metrics().rejects['not_protobuf'] ?? 0;
    await c.publishAsync(topic, Buffer.from([0xff, 0xff, 0xff]), { qos: 1 });
    await waitFor('the reject to be counted', () => (t.hub.metrics().rejects['not_protobuf'] ?? 0) === rejectsBefore + 1);
    assert.equal((await t.hub.store.rollouts.getReported(d.id))!.phase, 'downloading', 'a bad report changes nothing');
  });

  it('accepts an uploaded bundle signed with the fleet\'s key and refuses a tampered or foreign one', async () => {
    const trust = loadHubTrust(join(t.dir, 'keys'), Date.now());
    const rpi4 = (await t.hub.bundles.bundlesForVersion('pump-ae', version, ['rpi4'])).get('rpi4')!;
    const now = Date.now();
    const { format: _format, artefacts: _artefacts, ...base } = rpi4.manifest;
    const built = buildBundle({
      manifest: { ...base, version: version + 10, createdMs: now, expiresMs: now + 3_600_000 },
      artefacts: [{ name: 'model.onnx', kind: 'model.onnx', data: mixer(9) }],
      signer: trust.signer, roots: trust.roots, keys: trust.keys,
    });
    const post = (bytes: Uint8Array, token = ADMIN_TOKEN) => http('/api/v1/bundles', { method: 'POST', token, body: Buffer.from(bytes), headers: { 'content-type': 'application/octet-stream' } });

    const ok = await post(built.bytes);
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.equal((ok.body as BundleRecord).id, built.id);
    assert.equal((ok.body as BundleRecord).origin, 'upload');
    const one = await http(`/api/v1/bundles/${built.id}`, { token: viewer });
    assert.equal((one.body as BundleRecord).manifest.version, version + 10);
    const file = await http(`/api/v1/bundles/${built.id}/file`, { token: viewer });
    assert.equal(file.type, 'application/octet-stream');
    assert.deepEqual(Buffer.from(file.body as Uint8Array), Buffer.from(built.bytes));
    const unknown = await http(`/api/v1/bundles/${'0'.repeat(64)}`, { token: viewer });
    assert.equal(unknown.status, 404);
    assert.equal((unknown.body as { error: { code: string } }).error.code, 'EH_NOT_FOUND');
    const list = await http('/api/v1/bundles?model=pump-ae', { token: viewer });
    assert.ok((list.body as { bundles: BundleRecord[] }).bundles.some((b) => b.id === built.id));
    assert.ok((await t.hub.store.listAudit(50)).some((e) => e.action === 'bundle.upload' && e.target === built.id));

    const tampered = Uint8Array.from(built.bytes);
    tampered[tampered.length - 5]! ^= 0xff;
    const bad = await post(tampered);
    assert.equal(bad.status, 422);
    assert.equal((bad.body as { error: { code: string } }).error.code, 'EH_BUNDLE_HASH');

    const other = [generateSigningKey()];
    const foreignRoot = signRoot(makeRoot({ fleet: t.fleet, version: 1, threshold: 1, publicKeys: other.map((k) => k.publicKey), createdMs: now }), other);
    const signer = generateSigningKey();
    const foreignKeys = signKeyList(makeKeyList({ fleet: t.fleet, version: 1, rootVersion: 1, createdMs: now, expiresMs: now + 3_600_000, keys: [{ publicKey: signer.publicKey, expiresMs: now + 3_600_000 }] }), other);
    const foreign = buildBundle({
      manifest: { ...base, createdMs: now, expiresMs: now + 3_600_000 },
      artefacts: [{ name: 'model.onnx', kind: 'model.onnx', data: mixer(9) }], signer, roots: [foreignRoot], keys: foreignKeys,
    });
    const refused = await post(foreign.bytes);
    assert.equal(refused.status, 422);
    assert.match((refused.body as { error: { code: string } }).error.code, /^EH_BUNDLE_(THRESHOLD|KEY_UNKNOWN|SIGNATURE)$/);
    assert.equal((await post(built.bytes, viewer)).status, 403, 'uploading needs the operator role');
    assert.equal(await t.hub.bundles.get(foreign.id), null);
  });

  it('shows the public trust material and no private key, and provisions devices with the newest root', async () => {
    const res = await http('/api/v1/keys', { token: viewer });
    assert.equal(res.status, 200);
    const text = JSON.stringify(res.body);
    const trust = loadHubTrust(join(t.dir, 'keys'), Date.now());
    assert.ok(!text.includes(toBase64(trust.signer.seed)), 'the signing key\'s seed is not shown');
    assert.doesNotMatch(text, /seed|private/i);
    const body = res.body as { root: RootBody; roots: unknown[]; signingKeys: { body: { keys: Array<{ id: string }> } } };
    assert.deepEqual(body.root, root, 'the root devices are provisioned with');
    assert.equal(body.roots.length, 1);
    assert.ok(body.signingKeys.body.keys.some((k) => k.id === trust.signer.keyId));
    assert.equal((await fetch(`${t.hub.httpUrl}/api/v1/keys`)).status, 401);

    const p = await http('/api/v1/devices', {
      method: 'POST', body: JSON.stringify({ id: 'pump-http', profile: 'rpi4', publicKey: toBase64(generateKeyPair().publicKey) }), headers: { 'content-type': 'application/json' },
    });
    assert.equal(p.status, 201);
    const cfg = (p.body as { agentConfig: { bundles: { root: RootBody } } }).agentConfig;
    assert.deepEqual(cfg.bundles.root, body.root);
    assert.equal(cfg.bundles.root.keys.length, 3, 'the development root has 3 public keys');
    assert.ok(cfg.bundles.root.keys.every((k) => Object.keys(k).sort().join() === 'id,publicKey'), 'public keys only');
  });
});
