/**
 * The model pipeline with every real part: TensorFlow.js training, ONNX export with the parity
 * check, int8 quantisation calibrated on training windows, evaluation in onnxruntime-node, gates
 * and the per-profile plan; then the same pipeline as a hub training job over real HTTP, from
 * readings in the hub's store to a registered version whose int8 model runs.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadProfiles, type DeviceProfile } from '../../device-profiles/index.ts';
import { startHub } from '../../cloud-hub/hub.ts';
import type { HubHandle } from '../../cloud-hub/hub-api.ts';
import type { Job } from '../../cloud-hub/jobs/schema.ts';
import { createTrainingPipeline, runModelPipeline } from '../../cloud-hub/pipeline/index.ts';
import { parseRecipe } from '../../cloud-hub/recipes/index.ts';
import type { ModelVersion } from '../../cloud-hub/registry/schema.ts';
import type { TrainingRows } from '../../cloud-hub/trainer/index.ts';
import { generateKeyPair, toBase64 } from '../../shared/crypto/ed25519.ts';
import { OnnxSession } from '../../shared/inference/index.ts';
import { silentLogger } from '../../shared/log/logger.ts';
import { checkOnnxModel, onnxCheckerSkip } from '../support/onnx-checker.ts';

const T0 = Date.UTC(2026, 0, 1);

const recipe = parseRecipe({
  version: 1, name: 'pipe-test', task: 'anomaly',
  input: { features: ['a', 'b'], window: { length: 16, stride: 2 }, normalisation: 'zscore' },
  architecture: { layers: [{ type: 'conv1d', filters: 8, kernelSize: 3, activation: 'relu' }, { type: 'flatten' }, { type: 'dense', units: 64, activation: 'relu' }] },
  training: { epochs: 6, batchSize: 32, learningRate: 0.01, seed: 7, split: { train: 0.7, validation: 0.15 } },
  gates: { maxInt8Loss: 0.5 },
});

function series(n: number): TrainingRows {
  const timestamps: number[] = [];
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    timestamps.push(T0 + i * 1000);
    rows.push([Math.sin(i / 5) + 0.05 * Math.sin(i * 7.1), 3 + Math.cos(i / 11)]);
  }
  return { features: ['a', 'b'], timestamps, rows };
}

describe('model pipeline', () => {
  it('trains, exports with parity, quantises, evaluates, gates and plans every profile', async (t) => {
    const profiles = loadProfiles();
    // A class so small nothing fits: the plan must refuse it and name the limit.
    const tiny: DeviceProfile = { ...profiles[0]!, id: 'tiny-mcu', limits: { ...profiles[0]!.limits, maxModelBytes: 1000 } };
    const stages: string[] = [];
    const r = await runModelPipeline(recipe, series(1200), { profiles: [...profiles, tiny], footprintRuns: 20, onProgress: (p) => stages.push(p.stage) });

    assert.deepEqual([...new Set(stages)], ['train', 'export', 'quantise', 'evaluate']);
    assert.ok(r.trained.history.length >= 1);
    assert.ok(r.parity.maxAbsDiff <= 1e-4, `parity ${r.parity.maxAbsDiff}`);
    assert.ok(r.int8.bytes.length < r.fp32.bytes.length, 'int8 is smaller');
    assert.ok(r.quantisation.quantisedNodes > 0, 'the quantiser quantised something');
    const skip = onnxCheckerSkip();
    if (skip) t.diagnostic(skip);
    else { checkOnnxModel(r.fp32.bytes); checkOnnxModel(r.int8.bytes); }

    // The int8 variant runs and its scores track fp32's on the held-out windows.
    assert.equal(r.fp32.evaluation.scores.length, r.int8.evaluation.scores.length);
    assert.ok(r.threshold && r.threshold.threshold > 0);
    assert.equal(typeof r.gate.accepted, 'boolean');
    assert.match(r.gate.reason, /maxInt8Loss|accepted|int8/i);

    assert.equal(r.plan.length, profiles.length + 1);
    const refused = r.plan.find((p) => p.profile === 'tiny-mcu')!;
    assert.equal(refused.variant, null);
    assert.match(refused.reason, /maxModelBytes/);
    for (const p of r.plan.filter((q) => q.profile !== 'tiny-mcu')) assert.notEqual(p.variant, null, `${p.profile}: ${p.reason}`);
  });
});

describe('training job on the hub', () => {
  let dir: string;
  let hub: HubHandle;
  const ADMIN = 'pipeline-admin-token-0123456789abcdef';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'edgehive-pipeline-'));
    hub = await startHub(
      { dataDir: dir, fleet: 'pipe', mqtt: { port: 0 }, http: { port: 0 }, bootstrapAdminToken: ADMIN },
      { logger: silentLogger(), pipeline: createTrainingPipeline({ profiles: loadProfiles().slice(0, 2) }) },
    );
    await hub.provision({ id: 'pump-7', group: 'plant', profile: 'rpi4', publicKey: toBase64(generateKeyPair().publicKey) });
    const data = series(900);
    await hub.store.writeTelemetry([{
      device: 'pump-7', stream: 'main', firstSeq: 1, features: ['a', 'b'], droppedTotal: 0, backlog: 0, receivedAtMs: T0,
      readings: Array.from(data.timestamps, (tsMs, i) => ({ tsMs, values: [...(data.rows as number[][])[i]!] })),
    }]);
  });
  after(async () => {
    await hub?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('POST train runs the real pipeline in a worker and registers a version whose int8 model runs', async () => {
    const auth = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
    const res = await fetch(`${hub.httpUrl}/api/v1/models/pipe-test/train`, { method: 'POST', headers: auth, body: JSON.stringify({ recipe, data: { device: 'pump-7' } }) });
    assert.equal(res.status, 202, await res.clone().text());
    const { jobId } = (await res.json()) as { jobId: string };

    // While it trains, the hub keeps answering.
    const health = await fetch(`${hub.httpUrl}/healthz`);
    assert.equal(health.status, 200);

    let job: Job;
    const deadline = Date.now() + 120_000;
    for (;;) {
      job = (await (await fetch(`${hub.httpUrl}/api/v1/jobs/${jobId}`, { headers: auth })).json()) as Job;
      if (job.state !== 'queued' && job.state !== 'running') break;
      assert.ok(Date.now() < deadline, 'job finished in time');
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(job.state, 'succeeded', JSON.stringify(job.error));

    const versions = (await (await fetch(`${hub.httpUrl}/api/v1/models/pipe-test/versions`, { headers: auth })).json()) as { versions: ModelVersion[] } | ModelVersion[];
    const list = Array.isArray(versions) ? versions : versions.versions;
    const v = list[list.length - 1]!;
    assert.equal(v.status, 'ready');
    assert.deepEqual(v.variants.map((x) => x.variant).sort(), ['fp32', 'int8']);
    assert.equal(v.lineage.trainingJobId, jobId);
    assert.equal(v.lineage.quantisation?.mode, 'static');
    assert.equal(v.plan.length, 2);

    const int8 = await fetch(`${hub.httpUrl}/api/v1/models/pipe-test/versions/${v.version}/artefacts/model.int8.onnx`, { headers: auth });
    assert.equal(int8.status, 200);
    const session = await OnnxSession.load(new Uint8Array(await int8.arrayBuffer()));
    const out = await session.run(new Float32Array(16 * 2).fill(0.1), [1, 16, 2]);
    assert.deepEqual(out.dims, [1, 16, 2]);
    await session.close();
  });
});
