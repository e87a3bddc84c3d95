/**
 * POST /api/v1/models/:name/upload through a real hub over real HTTP: an exported conv
 * autoencoder uploaded with stored data (static int8 calibrated on the older windows, gated on
 * the newest, planned per profile, artefacts that run), the same model without data (dynamic int8
 * stored but not accepted), a Tanh-only model that ships float with the report saying why, and
 * the refusals: not ONNX, opset 11, input shape against the spec, the viewer role.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createToken } from '../../cloud-hub/api/auth.ts';
import { exportOnnx } from '../../cloud-hub/export/index.ts';
import { startHub } from '../../cloud-hub/hub.ts';
import type { HubHandle } from '../../cloud-hub/hub-api.ts';
import type { GraphNode, ModelGraph, WeightTensor } from '../../cloud-hub/model/graph.ts';
import { nodeToLayerSpec, outputShapeOf } from '../../cloud-hub/model/shapes.ts';
import { DataType, tensorValueInfo } from '../../cloud-hub/onnx/index.ts';
import type { QuantReport } from '../../cloud-hub/quantise/index.ts';
import type { ModelVersion } from '../../cloud-hub/registry/schema.ts';
import { loadProfiles } from '../../device-profiles/index.ts';
import { generateKeyPair, toBase64 } from '../../shared/crypto/ed25519.ts';
import { fitPreprocess, type PreprocessSpec } from '../../shared/features/index.ts';
import { OnnxSession } from '../../shared/inference/index.ts';
import { silentLogger } from '../../shared/log/logger.ts';
import { systemClock } from '../../shared/time/clock.ts';
import { buildModel, mlpModel, seeded } from '../support/onnx-models.ts';

const ADMIN = 'upload-admin-token-0123456789abcdef';
const T0 = Date.UTC(2026, 0, 1);
const L = 16;
const F = 2;
const READINGS = 400;

function reading(i: number): number[] {
  return [Math.sin(i / 5) + 0.05 * Math.sin(i * 7.1), 3 + Math.cos(i / 11)];
}

const rand = seeded(11);
function w(shape: number[], scale: number): WeightTensor {
  return { shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (rand() * 2 - 1) * scale) };
}

/** A small conv autoencoder as exportOnnx writes it: [batch, 16, 2] → conv → flatten → dense → dense → reshape → [batch, 16, 2]. */
function convAutoencoder(): Uint8Array {
  const layers: GraphNode[] = [
    { kind: 'conv1d', filters: 8, kernelSize: 3, stride: 1, padding: 'same', activation: 'relu', kernel: w([3, F, 8], 0.5), bias: w([8], 0.1) },
    { kind: 'flatten' },
    { kind: 'dense', units: 24, activation: 'relu', kernel: w([L * 8, 24], 0.15), bias: w([24], 0.1) },
    { kind: 'dense', units: L * F, activation: 'linear', kernel: w([24, L * F], 0.3), bias: w([L * F], 0.1) },
    { kind: 'reshape', shape: [L, F] },
  ];
  const graph: ModelGraph = { name: 'uploaded-ae', inputShape: [L, F], outputShape: outputShapeOf([L, F], layers.map(nodeToLayerSpec)), layers };
  return exportOnnx(graph);
}

/** [N, 16, 2] → Tanh → [N, 16, 2]: nothing a quantiser can turn into integer kernels. */
function tanhOnly(opset?: number): Uint8Array {
  return buildModel({
    ...(opset !== undefined ? { opset } : {}),
    input: tensorValueInfo('x', DataType.FLOAT, ['N', L, F]),
    output: tensorValueInfo('y', DataType.FLOAT, ['N', L, F]),
    initialisers: [],
    nodes: [{ opType: 'Tanh', input: ['x'], output: ['y'], name: 'squash' }],
  });
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

interface ErrorBody { error: { code: string; message: string } }

describe('model upload API', () => {
  let dir: string;
  let hub: HubHandle;
  let viewer: string;
  let spec: PreprocessSpec;
  const profiles = loadProfiles();

  const call = async <T = ErrorBody>(method: string, path: string, body?: unknown, token: string = ADMIN) => {
    const res = await fetch(`${hub.httpUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  const download = async (path: string): Promise<Uint8Array> => {
    const res = await fetch(`${hub.httpUrl}${path}`, { headers: { authorization: `Bearer ${viewer}` } });
    assert.equal(res.status, 200, path);
    return new Uint8Array(await res.arrayBuffer());
  };
  const runsOn = async (bytes: Uint8Array): Promise<void> => {
    const s = await OnnxSession.load(bytes);
    try {
      const out = await s.run(new Float32Array(L * F).fill(0.3), [1, L, F]);
      assert.deepEqual([...out.dims], [1, L, F]);
      assert.ok(out.data.every(Number.isFinite));
    } finally {
      await s.close();
    }
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'edgehive-upload-'));
    hub = await startHub(
      { dataDir: dir, fleet: 'upl', mqtt: { port: 0 }, http: { port: 0 }, bootstrapAdminToken: ADMIN },
      // Training is enabled only so the retrain-after-upload refusal is reachable; no test trains.
      { logger: silentLogger(), pipeline: async () => { throw new Error('no test in this file should start training'); } },
    );
    viewer = (await createToken(hub.store, systemClock, 'screen', 'viewer')).token;
    await hub.provision({ id: 'pump-1', group: 'plant', profile: 'rpi4', publicKey: toBase64(generateKeyPair().publicKey) });
    await hub.store.writeTelemetry([{
      device: 'pump-1', stream: 'main', firstSeq: 1, features: ['a', 'b'], droppedTotal: 0, backlog: 0, receivedAtMs: T0,
      readings: Array.from({ length: READINGS }, (_, i) => ({ tsMs: T0 + i * 1000, values: reading(i) })),
    }]);
    const rows = Array.from({ length: READINGS }, (_, i) => reading(i));
    spec = fitPreprocess(rows, { features: ['a', 'b'], imputation: { method: 'last' }, normalisation: 'zscore', window: { length: L, stride: 4 } });
  });

  after(async () => {
    await hub?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('with data: static int8 calibrated on stored windows, gated, planned, node-by-node report, artefacts that run', async () => {
    const fp32 = convAutoencoder();
    const res = await call<ModelVersion>('POST', '/api/v1/models/ext-ae/upload', {
      onnx: b64(fp32), preprocess: spec, task: 'anomaly', data: { device: 'pump-1' },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const v = res.body;
    assert.equal(v.model, 'ext-ae');
    assert.equal(v.status, 'ready', v.statusReason ?? '');
    assert.equal(v.jobId, null);
    assert.equal(v.dataRange?.source, 'upload');
    assert.equal(v.dataRange?.device, 'pump-1');
    assert.equal(v.dataRange?.rows, READINGS);
    assert.deepEqual(v.variants.map((x) => x.variant), ['fp32', 'int8']);
    assert.equal(v.lineage.quantisation?.mode, 'static');
    assert.equal(v.lineage.quantisation?.calibration, 'minmax');
    // 97 windows: the older 80 % calibrate, the newest 20 % evaluate.
    assert.equal(v.lineage.quantisation?.calibrationWindows, 77);
    const upload = v.metrics['upload']!;
    assert.equal(upload['testWindows'], 20);
    assert.equal(upload['evaluated'], true);
    const gate = v.metrics['gate']!;
    const int8 = v.variants.find((x) => x.variant === 'int8')!;
    assert.equal(int8.accepted, gate['accepted']);
    assert.match(int8.reason ?? '', /maxInt8Loss/);
    assert.equal((gate['checks'] as Array<{ gate: string; limit: number }>).find((c) => c.gate === 'maxInt8Loss')?.limit, 0.02);
    assert.ok(v.metrics['threshold'], 'an anomaly upload gets a starting threshold');
    assert.equal((v.metrics['fp32'] as { windows: number }).windows, 20);
    assert.equal(v.plan.length, profiles.length);
    for (const p of v.plan) assert.ok(p.variant === 'fp32' || (p.variant === 'int8' && int8.accepted), `${p.profile}: ${p.variant} ${p.reason}`);
    assert.deepEqual(v.artefacts.map((a) => a.file).sort(), ['model.fp32.onnx', 'model.int8.onnx', 'preprocess.json', 'quantisation.json']);
    assert.equal((v.recipe as { architecture: { layers: unknown[] }; description: string }).architecture.layers.length, 0);
    assert.match((v.recipe as { description: string }).description, /uploaded ONNX model/);

    const base = `/api/v1/models/ext-ae/versions/${v.version}/artefacts`;
    const report = JSON.parse(Buffer.from(await download(`${base}/quantisation.json`)).toString()) as QuantReport & { int8: string | null };
    assert.equal(report.mode, 'static');
    assert.equal(report.int8, 'model.int8.onnx');
    const statuses = Object.fromEntries(report.nodes.map((n) => [n.opType, n.status]));
    assert.equal(statuses['Conv'], 'quantised');
    assert.ok(report.nodes.filter((n) => n.opType === 'MatMul').every((n) => n.status === 'quantised'), JSON.stringify(report.nodes));
    assert.equal(report.quantisedNodes, v.lineage.quantisation?.report['quantisedNodes']);
    const spec2 = JSON.parse(Buffer.from(await download(`${base}/preprocess.json`)).toString()) as PreprocessSpec;
    assert.deepEqual(spec2.features, ['a', 'b']);
    const fp32Back = await download(`${base}/model.fp32.onnx`);
    assert.ok(Buffer.from(fp32Back).equals(Buffer.from(fp32)), 'the upload is stored as it came');
    await runsOn(fp32Back);
    await runsOn(await download(`${base}/model.int8.onnx`));

    const listed = await call<{ versions: ModelVersion[] }>('GET', '/api/v1/models/ext-ae/versions', undefined, viewer);
    assert.equal(listed.body.versions.length, 1);
  });

  it('quantisation.reduceRange false: full-range int8 weights, said in the report; an invalid value names the field', async () => {
    const res = await call<ModelVersion>('POST', '/api/v1/models/ext-ae-full/upload', { onnx: b64(convAutoencoder()), preprocess: spec, task: 'anomaly', quantisation: { reduceRange: false } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal((res.body.lineage.quantisation!.report as { weightBits?: number }).weightBits, 8);
    const bad = await call('POST', '/api/v1/models/ext-ae-bad/upload', { onnx: b64(convAutoencoder()), preprocess: spec, task: 'anomaly', quantisation: { reduceRange: 'yes' } });
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body), /reduceRange/);
  });

  it('without data: dynamic int8 is stored but not accepted (nothing to validate it on), fp32 ships', async () => {
    const res = await call<ModelVersion>('POST', '/api/v1/models/ext-ae-nodata/upload', { onnx: b64(convAutoencoder()), preprocess: spec, task: 'anomaly' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const v = res.body;
    assert.equal(v.status, 'ready');
    assert.equal(v.lineage.quantisation?.mode, 'dynamic');
    assert.equal((v.lineage.quantisation!.report as { weightBits?: number }).weightBits, 7, 'safe 7-bit weights unless asked otherwise');
    assert.equal(v.dataRange?.rows, 0);
    const fp32 = v.variants.find((x) => x.variant === 'fp32')!;
    const int8 = v.variants.find((x) => x.variant === 'int8')!;
    assert.equal(fp32.accepted, true);
    assert.equal(int8.accepted, false);
    assert.match(int8.reason ?? '', /no data to validate it/);
    assert.ok(v.plan.every((p) => p.variant === 'fp32'), 'no profile gets the unvalidated int8');
    const report = v.lineage.quantisation!.report as { quantisedNodes: number; float: string[] };
    assert.ok(report.quantisedNodes >= 2, 'the dense MatMuls are quantised');
    assert.ok(report.float.some((f) => /Conv.*dynamic mode keeps it in float/.test(f)), report.float.join('; '));
    await runsOn(await download(`/api/v1/models/ext-ae-nodata/versions/${v.version}/artefacts/model.int8.onnx`));

    // The hub has no recipe for an upload: retraining without one is refused, not run on a placeholder.
    const retrain = await call('POST', '/api/v1/models/ext-ae-nodata/train', { data: {} });
    assert.equal(retrain.status, 400);
    assert.match(retrain.body.error.message, /was uploaded.*send \{"recipe"/);
  });

  it('a model with no quantisable operator ships float, and the report says why, node by node', async () => {
    const res = await call<ModelVersion>('POST', '/api/v1/models/ext-tanh/upload', {
      onnx: b64(tanhOnly()), preprocess: spec, task: 'anomaly', data: { device: 'pump-1' }, quantisation: { calibration: 'percentile', percentile: 99.9 },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const v = res.body;
    assert.equal(v.status, 'ready');
    assert.deepEqual(v.variants.map((x) => x.variant), ['fp32']);
    assert.match(v.statusReason ?? '', /fp32 only: static quantisation supports none of the model's operators \(Tanh\)/);
    assert.equal(v.lineage.quantisation?.report['int8'], false);
    assert.ok(!v.artefacts.some((a) => a.file === 'model.int8.onnx'));
    assert.ok(v.plan.every((p) => p.variant === 'fp32'));
    const report = JSON.parse(Buffer.from(await download(`/api/v1/models/ext-tanh/versions/${v.version}/artefacts/quantisation.json`)).toString()) as QuantReport & { int8: null; outcome: string };
    assert.equal(report.int8, null);
    assert.equal(report.quantisedNodes, 0);
    assert.deepEqual(report.nodes.map((n) => [n.name, n.opType, n.status]), [['squash', 'Tanh', 'float']]);
    assert.ok(report.nodes[0]!.detail.length > 0);
  });

  it('refuses what it cannot take, with the code and a message saying what to change', async () => {
    const notOnnx = await call('POST', '/api/v1/models/ext-bad/upload', { onnx: b64(new TextEncoder().encode('this is a CSV file,\n1,2,3\n')), preprocess: spec, task: 'anomaly' });
    assert.equal(notOnnx.status, 400);
    assert.equal(notOnnx.body.error.code, 'EH_MODEL_INVALID');

    const notBase64 = await call('POST', '/api/v1/models/ext-bad/upload', { onnx: '%%% not base64 %%%', preprocess: spec, task: 'anomaly' });
    assert.equal(notBase64.status, 400);
    assert.match(notBase64.body.error.message, /base64/);

    const old = await call('POST', '/api/v1/models/ext-bad/upload', { onnx: b64(tanhOnly(11)), preprocess: spec, task: 'anomaly' });
    assert.equal(old.status, 400);
    assert.equal(old.body.error.code, 'EH_MODEL_UNSUPPORTED');
    assert.match(old.body.error.message, /opset 11/);

    const shape = await call('POST', '/api/v1/models/ext-bad/upload', { onnx: b64(mlpModel({ inputs: 32, hidden: [8, 8], outputs: 32 })), preprocess: spec, task: 'anomaly' });
    assert.equal(shape.status, 400);
    assert.equal(shape.body.error.code, 'EH_BAD_REQUEST');
    assert.match(shape.body.error.message, /\[N, 32\]/);
    assert.match(shape.body.error.message, /\[batch, 16, 2\]/);

    const badSpec = await call('POST', '/api/v1/models/ext-bad/upload', { onnx: b64(tanhOnly()), preprocess: { ...spec, window: { length: 0, stride: 1 } }, task: 'anomaly' });
    assert.equal(badSpec.status, 400);
    assert.match(badSpec.body.error.message, /window\/length/);

    const classify = await call('POST', '/api/v1/models/ext-bad/upload', { onnx: b64(tanhOnly()), preprocess: spec, task: 'classify' });
    assert.equal(classify.status, 400);
    assert.equal(classify.body.error.code, 'EH_RECIPE_INVALID');
    assert.match(classify.body.error.message, /\/target\/label/);

    const staticNoData = await call('POST', '/api/v1/models/ext-bad/upload', { onnx: b64(tanhOnly()), preprocess: spec, task: 'anomaly', quantisation: { mode: 'static' } });
    assert.equal(staticNoData.status, 400);
    assert.match(staticNoData.body.error.message, /give data/);

    assert.equal((await call('GET', '/api/v1/models/ext-bad/versions')).status, 404, 'nothing was registered');
  });

  it('needs the operator role (403 for a viewer) and is in the OpenAPI document', async () => {
    const res = await call('POST', '/api/v1/models/ext-view/upload', { onnx: b64(tanhOnly()), preprocess: spec, task: 'anomaly' }, viewer);
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, 'EH_API_FORBIDDEN');
    const doc = (await call<{ paths: Record<string, Record<string, { security?: unknown; requestBody?: unknown }>> }>('GET', '/api/v1/openapi.json')).body;
    const op = doc.paths['/api/v1/models/{name}/upload']?.post;
    assert.ok(op?.security && op.requestBody);
  });
});
