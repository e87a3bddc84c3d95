/**
 * The job manager on a real SQLite store with a real (small) pipeline: success with a registered
 * version, one job per model, failures with their codes, cancel, close, and restart recovery.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { JobManager, type JobEventKind } from '../../cloud-hub/jobs/job-manager.ts';
import type { TrainingPipeline } from '../../cloud-hub/jobs/schema.ts';
import { ArtefactFiles } from '../../cloud-hub/registry/artefact-files.ts';
import { ModelRegistry } from '../../cloud-hub/registry/registry.ts';
import { SqliteStore } from '../../cloud-hub/store/sqlite-store.ts';
import { isEdgehiveError } from '../../shared/errors/index.ts';
import { silentLogger } from '../../shared/log/logger.ts';
import { ManualClock } from '../../shared/time/clock.ts';
import { testRecipe, tinyPipeline } from '../integration/registry-pipeline.ts';

const T0 = Date.UTC(2026, 0, 1);

/** A gate a test opens when it wants a held job to go on. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => { open = r; });
  let reached!: () => void;
  const waiting = new Promise<void>((r) => { reached = r; });
  return { open, waiting, wait: () => { reached(); return opened; } };
}

describe('job manager', () => {
  let dir: string;
  let store: SqliteStore;
  let registry: ModelRegistry;
  const managers: JobManager[] = [];
  const clock = new ManualClock(T0);

  const manager = (pipeline: TrainingPipeline | null, s = store, maxConcurrent = 1) => {
    const reg = s === store ? registry : new ModelRegistry({ store: s.models, files: new ArtefactFiles(join(dir, 'artefacts')), clock });
    const m = new JobManager({ store: s, registry: reg, pipeline, clock, logger: silentLogger(), maxConcurrent, closeTimeoutMs: 2000 });
    managers.push(m);
    return m;
  };
  const start = (m: JobManager, model = 'pump-test', device = 'pump-1') => m.start({ recipe: testRecipe(model), data: { device }, actor: 'test' });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'edgehive-jobs-'));
    store = new SqliteStore({ path: join(dir, 'hub.db') });
    await store.init();
    registry = new ModelRegistry({ store: store.models, files: new ArtefactFiles(join(dir, 'artefacts')), clock });
    for (const [id, n] of [['pump-1', 200], ['pump-2', 3]] as const) {
      await store.createDevice({ id, group: 'g', profile: 'rpi4', publicKey: new Uint8Array(32), createdAtMs: T0 });
      await store.writeTelemetry([{
        device: id, stream: 'main', firstSeq: 1, features: ['f0', 'f1', 'f2'], droppedTotal: 0, backlog: 0, receivedAtMs: T0,
        readings: Array.from({ length: n }, (_, i) => ({ tsMs: T0 + i * 1000, values: [Math.sin(i / 5), Math.cos(i / 7) * 3 + 10, i] })),
      }]);
    }
  });

  afterEach(async () => {
    for (const m of managers.splice(0)) await m.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a job to a registered version, reporting each stage and epoch', async () => {
    const m = manager(tinyPipeline());
    const job = await start(m);
    assert.equal(job.state, 'queued');
    const seen: Array<[JobEventKind, string, number | undefined]> = [];
    m.subscribe(job.id, (kind, j) => seen.push([kind, j.progress?.stage ?? j.state, j.progress?.epoch]));
    const done = await m.wait(job.id);
    assert.equal(done.state, 'succeeded', JSON.stringify(done.error));
    assert.equal(done.version, 1);
    assert.equal(done.error, null);
    assert.deepEqual(seen.filter(([k]) => k === 'progress').map(([, s, e]) => (e ? `${s}${e}` : s)), ['data', 'train1', 'train2', 'train3', 'train4', 'train5', 'quantise', 'evaluate', 'register']);
    assert.equal(seen.at(-1)?.[0], 'end');
    const stored = await store.models.getJob(job.id);
    assert.equal(stored?.state, 'succeeded');
    assert.equal(stored?.progress?.stage, 'register');
    const v = await registry.getVersion('pump-test', 1);
    assert.equal(v.status, 'ready');
    assert.equal(v.lineage.trainingJobId, job.id);
    assert.deepEqual(v.dataRange, { source: 'store', device: 'pump-1', fromMs: T0, toMs: T0 + 199_000, rows: 200 });
    assert.deepEqual(v.variants.map((x) => [x.variant, x.accepted]), [['fp32', true], ['int8', true]]);
    const loss = (v.metrics.fp32 as { mse: number }).mse;
    assert.ok(loss < 0.5, `training reduced the loss (${loss})`);
  });

  it('refuses a second job for a model while one runs, and takes it once that one has ended', async () => {
    const g = gate();
    const m = manager(tinyPipeline({ gate: g.wait }), store, 2);
    const first = await start(m);
    await g.waiting;
    await assert.rejects(start(m), (e: unknown) => isEdgehiveError(e, 'EH_CONFLICT') && e.message.includes(first.id));
    const other = await start(m, 'other-model');
    g.open();
    assert.equal((await m.wait(first.id)).state, 'succeeded');
    assert.equal((await m.wait(other.id)).state, 'succeeded');
    const again = await start(m);
    assert.equal((await m.wait(again.id)).version, 2);
  });

  it('records a failure with the pipeline\'s code, and fails the version the job left training', async () => {
    const m = manager(tinyPipeline());
    const short = await m.wait((await start(m, 'pump-test', 'pump-2')).id);
    assert.equal(short.state, 'failed');
    assert.equal(short.error?.code, 'EH_DATA_INSUFFICIENT');
    assert.match(short.error!.message, /3 complete readings/);

    const crashing = manager(async (ctx) => {
      await ctx.registry.createVersion({ recipe: ctx.recipe });
      throw new Error('out of memory in the exporter');
    });
    const crashed = await crashing.wait((await start(crashing, 'crashy')).id);
    assert.deepEqual(crashed.error, { code: 'EH_TRAINING_FAILED', message: 'out of memory in the exporter' });
    const v = await registry.getVersion('crashy', 1);
    assert.equal(v.status, 'failed');
    assert.match(v.statusReason ?? '', /out of memory/);
  });

  it('cancels a running job and a queued one', async () => {
    const g = gate();
    const m = manager(tinyPipeline({ gate: g.wait }));
    const running = await start(m);
    const queued = await start(m, 'second');
    await g.waiting;
    assert.equal((await m.get(queued.id))?.state, 'queued', 'one job at a time on this hub');
    const q = await m.cancel(queued.id, 'token:ops');
    assert.equal(q.state, 'cancelled');
    assert.equal(q.error?.message, 'cancelled by token:ops');
    const ended = m.cancel(running.id, 'token:ops');
    g.open();
    const r = await ended;
    assert.equal(r.state, 'cancelled');
    assert.equal((await store.models.getJob(running.id))?.state, 'cancelled');
    await assert.rejects(m.cancel(running.id, 'x'), (e: unknown) => isEdgehiveError(e, 'EH_STATE'));
  });

  it('after a crash, a restarted hub marks the jobs that were running failed: hub restarted', async () => {
    const g = gate();
    const before = manager(tinyPipeline({ gate: g.wait }));
    const job = await start(before);
    await g.waiting;
    assert.equal((await store.models.getJob(job.id))?.state, 'running');
    // A second hub on the same database, as after a crash of the first.
    const reopened = new SqliteStore({ path: join(dir, 'hub.db') });
    await reopened.init();
    try {
      const after = manager(tinyPipeline(), reopened);
      assert.deepEqual(await after.recover(), [job.id]);
      const failed = await after.get(job.id);
      assert.equal(failed?.state, 'failed');
      assert.equal(failed?.error?.code, 'EH_STATE');
      assert.match(failed?.error?.message ?? '', /hub restarted/);
      assert.equal((await after.wait((await start(after)).id)).state, 'succeeded', 'the model can train again');
    } finally {
      g.open();
      await before.close();
      await reopened.close();
    }
  });

  it('refuses to start without a pipeline, and fails what runs when it closes', async () => {
    await assert.rejects(start(manager(null)), (e: unknown) => isEdgehiveError(e, 'EH_STATE') && /not enabled/.test(e.message));
    const m = manager(tinyPipeline({ epochDelayMs: 1000 }));
    const job = await start(m);
    await new Promise((r) => setTimeout(r, 50));
    await m.close();
    const stored = await store.models.getJob(job.id);
    assert.equal(stored?.state, 'failed');
    assert.match(stored?.error?.message ?? '', /hub stopped/);
  });
});
