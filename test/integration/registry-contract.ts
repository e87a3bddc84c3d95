/**
 * One suite for the model registry on every store (registry-sqlite.test.ts,
 * registry-postgres.test.ts): version numbering, artefacts on disk with their hashes, lineage,
 * and the job records the job manager relies on.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ArtefactFiles, sha256Hex } from '../../cloud-hub/registry/artefact-files.ts';
import { ModelRegistry } from '../../cloud-hub/registry/registry.ts';
import type { Store } from '../../cloud-hub/store/types.ts';
import { isEdgehiveError } from '../../shared/errors/index.ts';
import { ManualClock } from '../../shared/time/clock.ts';
import type { StoreUnderTest } from './store-contract.ts';
import { testRecipe } from './registry-pipeline.ts';

const T0 = Date.UTC(2026, 0, 1);
const bytes = (s: string) => new TextEncoder().encode(s);

async function rejectsWith(p: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isEdgehiveError(e) && e.code === code, `expected ${code}, got ${String(e)}`);
    if (message) assert.match(e.message, message);
    return true;
  });
}

export function registryContract(name: string, make: () => Promise<StoreUnderTest>): void {
  describe(`Model registry contract: ${name}`, () => {
    let h: StoreUnderTest;
    let store: Store;
    let dir: string;
    let registry: ModelRegistry;
    const clock = new ManualClock(T0);
    const open = (s: Store) => new ModelRegistry({ store: s.models, files: new ArtefactFiles(join(dir, 'artefacts')), clock });

    beforeEach(async () => {
      h = await make();
      store = h.store;
      await store.init();
      dir = mkdtempSync(join(tmpdir(), 'edgehive-registry-'));
      registry = open(store);
    });
    afterEach(async () => {
      await h.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    it('numbers versions 1, 2, 3 per model, never reusing one, also when created at once', async () => {
      const a = testRecipe('model-a');
      assert.equal((await registry.createVersion({ recipe: a })).version, 1);
      const v2 = await registry.createVersion({ recipe: a });
      await registry.failVersion('model-a', v2.version, 'test');
      assert.equal((await registry.createVersion({ recipe: testRecipe('model-b') })).version, 1);
      const burst = await Promise.all(Array.from({ length: 5 }, () => registry.createVersion({ recipe: a })));
      assert.deepEqual(burst.map((v) => v.version).sort((x, y) => x - y), [3, 4, 5, 6, 7]);
      const listed = await registry.listVersions('model-a');
      assert.deepEqual(listed.map((v) => v.version), [1, 2, 3, 4, 5, 6, 7]);
      assert.equal(listed[1]!.status, 'failed');
      assert.equal(listed[1]!.statusReason, 'test');
      const models = await registry.listModels();
      assert.deepEqual(models.map((m) => [m.name, m.versions, m.latest?.version]), [['model-a', 7, 7], ['model-b', 1, 1]]);
    });

    it('writes artefacts atomically under <model>/<version>/, records their sha256, and refuses a changed file', async () => {
      const v = await registry.createVersion({ recipe: testRecipe() });
      const content = bytes('{"weights":[1,2,3]}');
      const a = await registry.writeArtefact('pump-test', v.version, 'model.fp32.json', content);
      assert.equal(a.sha256, sha256Hex(content));
      assert.equal(a.bytes, content.byteLength);
      const versionDir = join(dir, 'artefacts', 'pump-test', String(v.version));
      assert.deepEqual(readdirSync(versionDir), ['model.fp32.json'], 'no temp file left behind');
      const back = await registry.readArtefact('pump-test', v.version, 'model.fp32.json');
      assert.deepEqual(new Uint8Array(back.bytes), content);
      writeFileSync(join(versionDir, 'model.fp32.json'), '{"weights":[6,6,6]}');
      await rejectsWith(registry.readArtefact('pump-test', v.version, 'model.fp32.json'), 'EH_STORE_FAILED', /does not match|not the recorded/);
      await rejectsWith(registry.readArtefact('pump-test', v.version, 'graph.json'), 'EH_NOT_FOUND', /model\.fp32\.json/);
      await rejectsWith(registry.writeArtefact('pump-test', v.version, '../escape.json', content), 'EH_BAD_REQUEST');
    });

    it('completes a version once: variants get their artefact hashes, lineage keeps job, data, parent and quantisation', async () => {
      const dataRange = { source: 'store' as const, device: 'pump-1', fromMs: T0, toMs: T0 + 60_000, rows: 61 };
      const v = await registry.createVersion({ recipe: testRecipe(), dataRange, parentVersion: 3 }, 'job-1');
      assert.equal(v.status, 'training');
      await rejectsWith(registry.completeVersion('pump-test', v.version, { status: 'ready', variants: [{ variant: 'int8', file: 'model.int8.onnx', accepted: true }] }), 'EH_STATE', /model\.int8\.onnx/);
      const onnx = bytes('not really onnx');
      await registry.writeArtefact('pump-test', v.version, 'model.int8.onnx', onnx);
      clock.advance(1000);
      const done = await registry.completeVersion('pump-test', v.version, {
        status: 'ready', metrics: { int8: { auc: 0.9 } }, preprocess: { features: ['f0'] },
        variants: [{ variant: 'int8', file: 'model.int8.onnx', accepted: true }],
        plan: [{ profile: 'rpi4', variant: 'int8', reason: 'fits', estimates: { int8: { latencyMs: 1.5, sizeBytes: onnx.byteLength } } }],
        quantisation: { mode: 'static', calibration: 'percentile', calibrationWindows: 512, report: { quantisedNodes: 3, floatNodes: 1 } },
      });
      assert.equal(done.status, 'ready');
      assert.equal(done.updatedAtMs, T0 + 1000);
      assert.deepEqual(done.variants, [{ variant: 'int8', file: 'model.int8.onnx', accepted: true, sha256: sha256Hex(onnx), bytes: onnx.byteLength }]);
      await rejectsWith(registry.completeVersion('pump-test', v.version, { status: 'failed' }), 'EH_STATE');
      await rejectsWith(registry.writeArtefact('pump-test', v.version, 'late.json', onnx), 'EH_STATE');

      const reopened = await h.reopen();
      await reopened.init();
      const again = await open(reopened).getVersion('pump-test', v.version);
      assert.deepEqual(again.lineage, {
        trainingJobId: 'job-1', dataRange, parentVersion: 3,
        quantisation: { mode: 'static', calibration: 'percentile', calibrationWindows: 512, report: { quantisedNodes: 3, floatNodes: 1 } },
      });
      assert.deepEqual(again.dataRange, dataRange);
      assert.deepEqual(again.recipe, testRecipe());
      assert.deepEqual(again.metrics, { int8: { auc: 0.9 } });
      assert.deepEqual(again.plan[0]?.estimates, { int8: { latencyMs: 1.5, sizeBytes: onnx.byteLength } });
      assert.deepEqual(again.artefacts.map((x) => [x.file, x.sha256]), [['model.int8.onnx', sha256Hex(onnx)]]);
    });

    it('answers EH_NOT_FOUND for unknown models and versions, and keeps a model\'s task', async () => {
      await rejectsWith(registry.listVersions('nope'), 'EH_NOT_FOUND', /not in the registry/);
      await registry.ensureModel(testRecipe());
      await rejectsWith(registry.getVersion('pump-test', 9), 'EH_NOT_FOUND', /no version 9/);
      await rejectsWith(registry.ensureModel(testRecipe('pump-test', { task: 'forecast' })), 'EH_CONFLICT', /anomaly model/);
    });

    it('keeps one active job per model, lists jobs newest first, and fails the unfinished ones on request', async () => {
      const m = store.models;
      await registry.ensureModel(testRecipe('a'));
      await registry.ensureModel(testRecipe('b'));
      const job = (id: string, model: string) => ({ id, model, recipe: testRecipe(model), data: { device: 'pump-1' }, actor: 'test', createdAtMs: clock.now() });
      await m.createJob(job('j1', 'a'));
      await rejectsWith(m.createJob(job('j2', 'a')), 'EH_CONFLICT', /j1/);
      await m.createJob(job('j3', 'b'));
      const running = await m.updateJob('j1', { state: 'running', startedAtMs: T0, progress: { stage: 'train', epoch: 2, epochs: 5, loss: 0.5 } });
      assert.deepEqual(running.progress, { stage: 'train', epoch: 2, epochs: 5, loss: 0.5 });
      await m.updateJob('j1', { state: 'succeeded', version: 1, finishedAtMs: T0 + 1 });
      clock.advance(1);
      await m.createJob(job('j4', 'a'));
      assert.deepEqual((await m.listJobs({ limit: 10 })).map((j) => j.id), ['j4', 'j3', 'j1']);
      assert.deepEqual((await m.listJobs({ model: 'a', states: ['succeeded'], limit: 10 })).map((j) => j.id), ['j1']);
      const v = await registry.createVersion({ recipe: testRecipe('b') }, 'j3');
      const failed = await m.failActiveJobs({ code: 'EH_STATE', message: 'hub restarted' }, T0 + 5);
      assert.deepEqual(failed.sort(), ['j3', 'j4']);
      assert.equal(await registry.failTrainingVersions('hub restarted'), 1);
      const j3 = await m.getJob('j3');
      assert.equal(j3?.state, 'failed');
      assert.deepEqual(j3?.error, { code: 'EH_STATE', message: 'hub restarted' });
      assert.equal(j3?.finishedAtMs, T0 + 5);
      assert.deepEqual(j3?.data, { device: 'pump-1' });
      assert.equal((await registry.getVersion('b', v.version)).status, 'failed');
      await rejectsWith(m.updateJob('nope', { state: 'failed' }), 'EH_NOT_FOUND');
    });
  });
}
