/**
 * Drift reports from a real agent: a signed bundle carrying `reference-stats` is installed from a
 * real MQTT broker, the agent monitors its model's stream against it, and DriftReports leave
 * through the outbox to the broker, where a second MQTT client decodes them as the hub would:
 * on a (fast, per-second) node-cron schedule, at once when a threshold is crossed (once per
 * reason per minute), and with a stuck sensor reported as a quality problem, not drift.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type * as Mqtt from 'mqtt';
import type { SensorAdapter, SensorReading, SensorSink } from '../../edge-agent/sensors/types.ts';
import { buildBundle, type BuiltBundle } from '../../shared/bundle/index.ts';
import { parseWithSchema } from '../../shared/config/validate.ts';
import { DriftSettingsSchema, REFERENCE_STATS_FILE, referenceStats, type DriftSettings } from '../../shared/drift/index.ts';
import { serialisePreprocessSpec } from '../../shared/features/index.ts';
import { decode } from '../../shared/protocol/codec.ts';
import type { DriftReport } from '../../shared/protocol/messages.ts';
import { topicsFor } from '../../shared/protocol/topics.ts';
import { checkFor, FEATURES, FLEET, makeKeys, PROFILE, publishChunks, setDesired, STREAM, tinyModel, tinyPreprocess, WINDOW, type TestKeys } from '../support/bundle-agent-fixtures.ts';
import { deviceConfig, startDevice, tempDir, waitFor, waitForBundle, type Device } from '../support/bundle-device.ts';
import { PlainBroker } from '../support/plain-broker.ts';

const { connect } = createRequire(import.meta.url)('mqtt') as typeof Mqtt;
const NOW = Date.now();
const DAY = 86_400_000;

/** Training data of the stream: a cycles 0..9, b cycles 0..6 (as the device emits when healthy). */
const healthy = (i: number): number[] => [i % 10, (i * 3) % 7];

async function bundleWithReference(keys: TestKeys): Promise<BuiltBundle> {
  const onnx = tinyModel();
  const reference = referenceStats(Array.from({ length: 1000 }, (_, i) => healthy(i)), [...FEATURES], null, { nowMs: NOW });
  return buildBundle({
    manifest: {
      fleet: FLEET, model: 'pump', version: 1, createdMs: NOW - 60_000, expiresMs: NOW + 30 * DAY,
      targets: [{ profile: PROFILE, latencyBudgetMs: 1000 }], minAgentVersion: '0.1.0', variant: 'fp32', task: 'anomaly', stream: STREAM,
      inputs: [{ name: 'x', dims: ['N', WINDOW, FEATURES.length], type: 'float32' }],
      outputs: [{ name: 'y', dims: ['N', WINDOW, FEATURES.length], type: 'float32' }],
      metrics: {}, check: await checkFor(onnx), source: { modelVersion: 1, jobId: null },
    },
    artefacts: [
      { name: 'model.onnx', kind: 'model.onnx', data: onnx },
      { name: 'preprocess.json', kind: 'preprocess.json', data: new TextEncoder().encode(serialisePreprocessSpec(tinyPreprocess())) },
      { name: REFERENCE_STATS_FILE, kind: 'reference-stats', data: new TextEncoder().encode(JSON.stringify(reference)) },
    ],
    signer: keys.signer, roots: keys.roots, keys: keys.keys,
  });
}

/** Readings the test writes row by row. */
class RowSensor implements SensorAdapter {
  readonly stream = STREAM;
  readonly features = [...FEATURES];
  #sink: SensorSink | null = null;
  #n = 0;
  start(sink: SensorSink): void { this.#sink = sink; }
  async stop(): Promise<void> { this.#sink = null; }
  emit(rows: number[][]): void {
    const rs: SensorReading[] = rows.map((values) => ({ tsMs: 1_700_000_000_000 + this.#n++, values }));
    this.#sink?.push(rs);
  }
}

/** Decodes every DriftReport on the broker, once per (device, seq): the agent resends until a hub acks, and there is none here. */
class DriftWatcher {
  readonly reports = new Map<string, DriftReport[]>();
  readonly #seen = new Set<string>();
  private constructor(readonly client: Mqtt.MqttClient) {
    client.on('message', (topic, payload) => {
      const device = topic.split('/')[4]!;
      const r = decode('drift', payload);
      const key = `${device}/${r.seq}`;
      if (this.#seen.has(key)) return;
      this.#seen.add(key);
      this.reports.set(device, [...(this.reports.get(device) ?? []), r]);
    });
  }
  static async start(url: string): Promise<DriftWatcher> {
    const client = connect(url, { clientId: `drift-watcher-${process.pid}`, reconnectPeriod: 100 });
    await new Promise<void>((resolve, reject) => { client.once('connect', () => resolve()); client.once('error', reject); });
    await client.subscribeAsync(topicsFor(FLEET).allDevices('drift'), { qos: 1 });
    return new DriftWatcher(client);
  }
  of(device: string): DriftReport[] { return this.reports.get(device) ?? []; }
}

describe('agent drift reports', () => {
  let broker: PlainBroker;
  let watcher: DriftWatcher;
  let bundle: BuiltBundle;
  let keys: TestKeys;
  const tmp = tempDir('edgehive-drift-');
  const devices: Device[] = [];

  before(async () => {
    broker = await PlainBroker.start();
    watcher = await DriftWatcher.start(broker.url);
    keys = makeKeys(NOW);
    bundle = await bundleWithReference(keys);
    await publishChunks(broker, bundle);
  });

  after(async () => {
    for (const d of devices) await d.agent.stop();
    await watcher.client.endAsync(true);
    await broker.close();
    tmp.remove();
  });

  async function device(id: string, drift: Partial<DriftSettings>): Promise<{ d: Device; sensor: RowSensor }> {
    const sensor = new RowSensor();
    const config = { ...deviceConfig({ url: broker.url, deviceId: id, dataDir: join(tmp.dir, id), root: keys.rootBody }), drift: parseWithSchema(DriftSettingsSchema, { baseline: 'bundle', minSamples: 100, stuckAfter: 50, sampleEveryMs: 0, ...drift }, 'drift') };
    const d = await startDevice(config, { sensors: [sensor] });
    devices.push(d);
    await setDesired(broker, id, bundle);
    await waitForBundle(d.agent, 'bundle active', (s) => s.active?.bundleId === bundle.id && s.phase === 'active');
    return { d, sensor };
  }

  test('scheduled reports (cron, every second) of healthy readings: features, samples, no alarm', async () => {
    const { d, sensor } = await device('dev-sched', { schedule: '*/1 * * * * *' });
    sensor.emit(Array.from({ length: 300 }, (_, i) => healthy(i)));
    d.agent.flush();
    await waitFor('a scheduled drift report', () => watcher.of('dev-sched').some((r) => Number(r.samples) >= 300), 8000);
    const r = watcher.of('dev-sched').find((x) => Number(x.samples) >= 300)!;
    assert.equal(r.model, 'pump');
    assert.equal(r.modelVersion, '1');
    assert.equal(r.alarm, false);
    assert.deepEqual(r.features.map((f) => f.feature), ['a', 'b']);
    for (const f of r.features) {
      assert.equal(Number(f.samples), 300);
      assert.ok(Number(f.psi) < 0.05 && Number(f.ks) < 0.05, `${f.feature}: psi ${f.psi} ks ${f.ks}`);
      assert.equal(f.missingRate, 0);
      assert.equal(f.outOfRangeRate, 0);
      assert.equal(f.stuck, false);
    }
    assert.ok(r.tsMs >= NOW);
    // The window started again after that report: the next readings make a report of their own.
    sensor.emit(Array.from({ length: 150 }, (_, i) => healthy(i)));
    d.agent.flush();
    await waitFor('the next window', () => watcher.of('dev-sched').some((x) => Number(x.samples) === 150), 8000);
  });

  test('a shifted input is reported at once, with alarm, and not again within the minute', async () => {
    // A schedule that never fires during the test: every report seen is a threshold report.
    const { d, sensor } = await device('dev-shift', { schedule: '0 0 1 1 *' });
    sensor.emit(Array.from({ length: 300 }, (_, i) => [healthy(i)[0]! + 5, healthy(i)[1]!]));
    d.agent.flush();
    await waitFor('an immediate drift report', () => watcher.of('dev-shift').length > 0, 8000);
    const r = watcher.of('dev-shift')[0]!;
    assert.equal(r.alarm, true);
    const [a, b] = r.features.map((f) => ({ psi: Number(f.psi), ks: Number(f.ks), outOfRangeRate: Number(f.outOfRangeRate) }));
    assert.ok(a!.psi > 0.25 && a!.ks > 0.2, `a: psi ${a!.psi} ks ${a!.ks}`);
    assert.ok(b!.psi < 0.1, `b: psi ${b!.psi}`);
    assert.ok(a!.outOfRangeRate > 0.3, 'values 10..14 are past the training range');
    sensor.emit(Array.from({ length: 300 }, (_, i) => [healthy(i)[0]! + 5, healthy(i)[1]!]));
    d.agent.flush();
    await new Promise((res) => setTimeout(res, 700));
    assert.equal(watcher.of('dev-shift').length, 1, 'the same reasons are not reported again within a minute');
  });

  test('device baseline: a device running at its own level learns it first, and then does not alarm', async () => {
    const { d, sensor } = await device('dev-own', { baseline: 'device', baselineReadings: 100, schedule: '*/1 * * * * *' });
    const own = (i: number) => [healthy(i)[0]! + 5, healthy(i)[1]!];
    sensor.emit(Array.from({ length: 100 }, (_, i) => own(i)));
    sensor.emit(Array.from({ length: 300 }, (_, i) => own(i + 100)));
    d.agent.flush();
    await waitFor('a scheduled report against the learned baseline', () => watcher.of('dev-own').some((r) => Number(r.samples) >= 300), 8000);
    const r = watcher.of('dev-own').find((x) => Number(x.samples) >= 300)!;
    assert.equal(r.alarm, false, 'against the bundle reference this device alarms (dev-shift)');
    assert.ok(Number(r.features[0]!.psi) < 0.1, `a: psi ${r.features[0]!.psi}`);
    assert.ok(watcher.of('dev-own').every((x) => !x.alarm));
  });

  test('a stuck sensor is reported at once as a quality problem, without a drift alarm', async () => {
    const { d, sensor } = await device('dev-stuck', { schedule: '0 0 1 1 *' });
    sensor.emit(Array.from({ length: 200 }, (_, i) => [3, healthy(i)[1]!]));
    d.agent.flush();
    await waitFor('an immediate drift report', () => watcher.of('dev-stuck').length > 0, 8000);
    const r = watcher.of('dev-stuck')[0]!;
    assert.equal(r.alarm, false);
    assert.equal(r.features[0]!.stuck, true);
    assert.equal(r.features[1]!.stuck, false);
  });
});
