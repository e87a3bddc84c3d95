/**
 * Retained state across hub restarts and broker kinds: the embedded broker forgets retained
 * messages when the hub stops, so a restarted hub republishes every desired state and the chunks
 * they need, with the same keys; through an external broker (a plain aedes server here, and
 * Mosquitto when EDGEHIVE_TEST_MQTT_URL is set) desired states and chunks are retained too.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import { startHub } from '../../cloud-hub/hub.ts';
import type { HubConfigInput } from '../../cloud-hub/config/hub-config.ts';
import type { HubHandle } from '../../cloud-hub/hub-api.ts';
import type { BundleRecord } from '../../cloud-hub/store/rollout-store.ts';
import { buildBundle, joinChunks, loadHubTrust, verifyOffline, type RootBody } from '../../shared/bundle/index.ts';
import { generateKeyPair, toBase64 } from '../../shared/crypto/ed25519.ts';
import { silentLogger } from '../../shared/log/logger.ts';
import { decode } from '../../shared/protocol/codec.ts';
import { topicsFor } from '../../shared/protocol/topics.ts';
import { DataType, node, tensorValueInfo } from '../../cloud-hub/onnx/index.ts';
import { buildModel } from '../support/onnx-models.ts';
import { connectDevice, waitFor, ADMIN_TOKEN, type TestDevice } from './hub-helpers.ts';

const NOW = Date.now();

/** y = tanh(x), [N, 8]: a real model small enough for a quick bundle. */
const tanh = (): Uint8Array => buildModel({
  input: tensorValueInfo('x', DataType.FLOAT, ['N', 8]),
  output: tensorValueInfo('y', DataType.FLOAT, ['N', 8]),
  initialisers: [],
  nodes: [node('Tanh', ['x'], ['y'], [], 'squash')],
});

/** A bundle of about `bytes`, signed with the hub's own key (as `edgehive bundle build` would), then uploaded. */
async function uploadBundle(hub: HubHandle, keysDir: string, fleet: string, version: number, bytes: number): Promise<BundleRecord> {
  const trust = loadHubTrust(keysDir, Date.now());
  const built = buildBundle({
    manifest: {
      fleet, model: 'restart-m', version, createdMs: NOW, expiresMs: NOW + 86_400_000,
      targets: [{ profile: 'rpi4', latencyBudgetMs: 100 }], minAgentVersion: '0.1.0', variant: 'fp32', task: 'anomaly', stream: 'sensors',
      inputs: [{ name: 'x', dims: ['N', 8], type: 'float32' }], outputs: [{ name: 'y', dims: ['N', 8], type: 'float32' }],
      metrics: {}, check: { inputDims: [1, 8], input: new Array(8).fill(0), output: new Array(8).fill(0), tolerance: 0.001, runs: 1 },
      source: { modelVersion: null, jobId: null },
    },
    artefacts: [
      { name: 'model.onnx', kind: 'model.onnx', data: tanh() },
      { name: 'stats.bin', kind: 'reference-stats', data: Uint8Array.from({ length: bytes }, (_, i) => (i * 7) & 0xff) },
    ],
    signer: trust.signer, roots: trust.roots, keys: trust.keys,
  });
  return hub.bundles.upload(built.bytes, 'test');
}

/** Subscribes and waits until the desired state and every chunk it names have arrived (retained). */
async function fetchTwin(c: MqttClient, fleet: string, device: string): Promise<{ desired: ReturnType<typeof decode<'desired'>>; bundle: Uint8Array }> {
  const topics = topicsFor(fleet);
  const messages = new Map<string, Buffer>();
  c.on('message', (topic, payload) => { if (payload.length > 0) messages.set(topic, payload); });
  await c.subscribeAsync(topics.device(device, 'desired'), { qos: 1 });
  await waitFor('the desired state', () => messages.has(topics.device(device, 'desired')), 5000);
  const desired = decode('desired', messages.get(topics.device(device, 'desired'))!);
  // As an agent does: the chunks of the bundle its desired state names, nothing else.
  await c.subscribeAsync(topics.bundleChunks(desired.bundleId), { qos: 1 });
  await waitFor('every chunk', () => Array.from({ length: desired.bundleChunks }, (_, i) => topics.bundleChunk(desired.bundleId, i)).every((k) => messages.has(k)), 5000);
  const chunks = Array.from({ length: desired.bundleChunks }, (_, i) => decode('bundle-chunk', messages.get(topics.bundleChunk(desired.bundleId, i))!).data);
  return { desired, bundle: joinChunks(chunks, { bytes: Number(desired.bundleBytes), sha256Hex: desired.bundleSha256 }) };
}

describe('hub restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'edgehive-bundles-restart-'));
  const fleet = 'rst';
  const config = (): HubConfigInput => ({ dataDir: dir, fleet, mqtt: { port: 0 }, http: { port: 0 }, bootstrapAdminToken: ADMIN_TOKEN });
  let hub: HubHandle | null = null;
  after(async () => {
    await hub?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('republishes desired states and their chunks, signed by the same root, after a restart', async () => {
    hub = await startHub(config(), { logger: silentLogger() });
    const keys = generateKeyPair();
    const root1: RootBody = (await hub.provision({ id: 'pump-1', profile: 'rpi4', publicKey: toBase64(keys.publicKey) })).agentConfig.bundles!.root;
    const bundle = await uploadBundle(hub, join(dir, 'keys'), fleet, 1, 300_000);
    await hub.publisher.setDesired('pump-1', bundle, 'dep-r');
    await hub.close();

    hub = await startHub(config(), { logger: silentLogger() });
    const again = await hub.provision({ id: 'pump-1', profile: 'rpi4', publicKey: toBase64(keys.publicKey) });
    assert.deepEqual(again.agentConfig.bundles!.root, root1, 'the hub keeps its keys across restarts');
    const d: TestDevice = { id: 'pump-1', keys, lastTs: 0 };
    const c = await connectDevice(hub.mqttUrl, fleet, d);
    try {
      const got = await fetchTwin(c, fleet, 'pump-1');
      assert.equal(got.desired.bundleId, bundle.id);
      assert.equal(got.desired.deploymentId, 'dep-r');
      assert.equal(got.desired.bundleChunks, 2);
      assert.doesNotThrow(() => verifyOffline(got.bundle, root1, { nowMs: Date.now(), fleet, profile: 'rpi4' }));
    } finally {
      await c.endAsync();
    }
  });
});

/** An external broker: the hub is a plain client, so retained publishing goes through mqtt.js. */
function externalSuite(name: string, brokerUrl: () => string, skip: string | false): void {
  describe(name, { skip }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgehive-bundles-ext-'));
    const fleet = `ext${randomBytes(3).toString('hex')}`;
    let hub: HubHandle;
    before(async () => {
      hub = await startHub({ dataDir: dir, fleet, mqtt: { url: brokerUrl() }, http: { port: 0 }, bootstrapAdminToken: ADMIN_TOKEN }, { logger: silentLogger() });
    });
    after(async () => {
      await hub?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('retains desired states and chunks on the broker, and clears unused chunks', async () => {
      const bundle = await uploadBundle(hub, join(dir, 'keys'), fleet, 1, 10_000);
      await hub.publisher.setDesired('pump-x', bundle, null);
      const c = await mqtt.connectAsync(brokerUrl(), { reconnectPeriod: 0, clientId: `t-${randomBytes(4).toString('hex')}` });
      try {
        const got = await fetchTwin(c, fleet, 'pump-x');
        assert.equal(got.desired.bundleId, bundle.id);
        assert.equal(got.bundle.length, bundle.bytes);
      } finally {
        await c.endAsync();
      }
      await hub.publisher.setDesired('pump-x', null, null);
      assert.deepEqual(await hub.publisher.collectGarbage(), [bundle.id]);
      const late = await mqtt.connectAsync(brokerUrl(), { reconnectPeriod: 0, clientId: `t-${randomBytes(4).toString('hex')}` });
      try {
        let chunks = 0;
        late.on('message', (topic, payload) => { if (topic.includes('/bundles/') && payload.length > 0) chunks++; });
        await late.subscribeAsync(topicsFor(fleet).bundleChunks(bundle.id), { qos: 1 });
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(chunks, 0, 'the broker no longer retains the chunks');
      } finally {
        await late.endAsync();
      }
    });
  });
}

let aedes: Aedes | null = null;
let server: Server | null = null;
let aedesUrl = '';
before(async () => {
  aedes = await Aedes.createBroker();
  const s = createServer(aedes.handle);
  server = s;
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  aedesUrl = `mqtt://127.0.0.1:${(s.address() as AddressInfo).port}`;
});
after(async () => {
  await new Promise<void>((resolve) => (aedes ? aedes.close(() => resolve()) : resolve()));
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

externalSuite('external broker (plain aedes)', () => aedesUrl, false);
const mosquitto = process.env.EDGEHIVE_TEST_MQTT_URL;
externalSuite('external broker (Mosquitto)', () => mosquitto!, !mosquitto && 'EDGEHIVE_TEST_MQTT_URL not set; retained publishing through Mosquitto not tested');
