/**
 * The drift policy manager across time, on a real SQLite store, registry and job manager with a
 * hand-stepped clock: once the cool-down has passed, the drift that started a job does not start
 * another (only reports received after the trigger count); new drift does, and while the first
 * job still runs the trigger records its cool-down without a second job.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { DriftPolicyManager } from '../../cloud-hub/drift/policy-manager.ts';
import { JobManager } from '../../cloud-hub/jobs/job-manager.ts';
import { ArtefactFiles } from '../../cloud-hub/registry/artefact-files.ts';
import { ModelRegistry } from '../../cloud-hub/registry/registry.ts';
import type { DriftRow } from '../../cloud-hub/store/drift-store.ts';
import { silentLogger } from '../../shared/log/logger.ts';
import { ManualClock } from '../../shared/time/clock.ts';
import { testRecipe, tinyPipeline } from './registry-pipeline.ts';
import { sqlitePlace, type StorePlace } from './store-places.ts';

const T0 = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;
const MODEL = 'pump-time';
const recipe = testRecipe(MODEL, { driftPolicy: { groupShare: 0.3, consecutiveReports: 2, minDevices: 3, cooldownMs: HOUR, drifting: { minSamples: 100 } } });

let place: StorePlace;
let dir: string;
let jobs: JobManager;
let manager: DriftPolicyManager;
const clock = new ManualClock(T0);
const seqs = new Map<string, number>();

/** One report per device, received now: p1 drifting on f0, the others clean. */
async function round(): Promise<void> {
  const rows: DriftRow[] = [];
  for (const device of ['p1', 'p2', 'p3']) {
    const seq = (seqs.get(device) ?? 0) + 1;
    seqs.set(device, seq);
    const drift = device === 'p1';
    rows.push({
      device, seq, tsMs: clock.now(), receivedMs: clock.now(), model: MODEL, modelVersion: '1', feature: 'f0',
      psi: drift ? 0.6 : 0.05, ks: drift ? 0.3 : 0.02, missingRate: 0, outOfRangeRate: 0, stuck: false, samples: 600, outputJs: 0.01, alarm: drift,
    });
  }
  await place.store.drift.putDriftReports(rows);
  clock.advance(1000);
}

const triggers = async () => (await place.store.listAudit(100)).filter((a) => a.action === 'drift.trigger');

before(async () => {
  place = sqlitePlace('drift-policy-manager');
  dir = mkdtempSync(join(tmpdir(), 'edgehive-drift-policy-manager-'));
  const store = place.store;
  await store.init();
  const registry = new ModelRegistry({ store: store.models, files: new ArtefactFiles(join(dir, 'artefacts')), clock });
  // The job waits at its gate until the job manager closes: it only has to be running.
  jobs = new JobManager({ store, registry, pipeline: tinyPipeline({ gate: () => new Promise<void>(() => {}) }), clock, logger: silentLogger(), closeTimeoutMs: 2000 });
  manager = new DriftPolicyManager({ store, registry, jobs, state: store.driftPolicies, clock, logger: silentLogger(), intervalMs: 0 });
  await registry.ensureModel(recipe);
  for (const id of ['p1', 'p2', 'p3']) {
    await store.createDevice({ id, group: 'plant', profile: 'rpi4', publicKey: new Uint8Array(32).fill(id.charCodeAt(1)), createdAtMs: T0 });
    await store.writeTelemetry([{
      device: id, stream: 'main', firstSeq: 1, features: ['f0', 'f1'], droppedTotal: 0, backlog: 0, receivedAtMs: T0,
      readings: Array.from({ length: 20 }, (_, i) => ({ tsMs: T0 - 60_000 + i * 1000, values: [Math.sin(i), Math.cos(i)] })),
    }]);
  }
});

after(async () => {
  await manager.close();
  await jobs.close();
  await place.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

it('after the cool-down, old drift starts nothing, new drift triggers again, and a running job is not doubled', async () => {
  await round();
  await round();
  const first = await manager.evaluate(MODEL);
  assert.equal(first.lastTrigger?.atMs, T0 + 2000);
  const jobId = first.lastTrigger!.jobId!;
  assert.equal((await jobs.get(jobId))?.actor, 'drift-policy');
  assert.equal(first.cooldownUntilMs, T0 + 2000 + HOUR);

  clock.advance(2 * HOUR);
  const stale = await manager.evaluate(MODEL);
  assert.deepEqual(stale.verdicts, [], 'nothing received since the trigger');
  assert.equal((await jobs.list({ model: MODEL, limit: 10 })).length, 1);
  assert.equal((await triggers()).length, 1);

  await round();
  assert.equal((await manager.evaluate(MODEL)).lastTrigger?.jobId, jobId, 'one new drifting report is not a run of two');
  await round();
  const again = await manager.evaluate(MODEL);
  assert.equal(again.lastTrigger?.atMs, clock.now());
  assert.equal(again.lastTrigger?.jobId, null, 'the first job still runs: no second one');
  assert.equal(again.cooldownUntilMs, clock.now() + HOUR, 'but the cool-down starts, or every report would try again');
  assert.equal((await jobs.list({ model: MODEL, limit: 10 })).length, 1);
  const audit = await triggers();
  assert.equal(audit.length, 2);
  assert.match(String((audit[0]!.details as { noJob?: string }).noJob), /^EH_CONFLICT/);
  assert.deepEqual((await manager.status(MODEL)).lastTrigger?.verdict.drifting, ['p1']);
});
