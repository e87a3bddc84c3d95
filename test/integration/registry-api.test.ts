/**
 * The registry and training jobs through a real hub over real HTTP: auth, validation, a job's
 * progress through GET and Server-Sent Events, versions and artefact downloads, the conflict on
 * a second job, 503 on a hub without a pipeline, and jobs kept across a restart.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startHub } from '../../cloud-hub/hub.ts';
import type { HubHandle } from '../../cloud-hub/hub-api.ts';
import { createToken } from '../../cloud-hub/api/auth.ts';
import type { Job } from '../../cloud-hub/jobs/schema.ts';
import { sha256Hex } from '../../cloud-hub/registry/artefact-files.ts';
import type { ModelSummary, ModelVersion } from '../../cloud-hub/registry/schema.ts';
import { generateKeyPair, toBase64 } from '../../shared/crypto/ed25519.ts';
import { silentLogger } from '../../shared/log/logger.ts';
import { systemClock } from '../../shared/time/clock.ts';
import { testRecipe, tinyPipeline } from './registry-pipeline.ts';

const ADMIN = 'test-admin-token-0123456789abcdef';
const T0 = Date.UTC(2026, 0, 1);

/** A gate a test opens when it wants a held job to go on. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => { open = r; });
  let reached!: () => void;
  const waiting = new Promise<void>((r) => { reached = r; });
  return { open, waiting, wait: () => { reached(); return opened; } };
}

interface SseEvent { event: string; job: Job }

/** Reads an SSE response to its end. */
async function readEvents(res: Response): Promise<SseEvent[]> {
  const out: SseEvent[] = [];
  const text = await res.text();
  for (const block of text.split('\n\n')) {
    const event = /^event: (.+)$/m.exec(block)?.[1];
    const data = /^data: (.+)$/m.exec(block)?.[1];
    if (event && data) out.push({ event, job: JSON.parse(data) as Job });
  }
  return out;
}

describe('registry and jobs API', () => {
  let dir: string;
  let hub: HubHandle;
  let viewer: string;
  let hold: (() => Promise<void>) | null = null;

  const startTestHub = (pipeline = true) => startHub(
    { dataDir: dir, fleet: 'reg', mqtt: { port: 0 }, http: { port: 0 }, bootstrapAdminToken: ADMIN },
    { logger: silentLogger(), pipeline: pipeline ? tinyPipeline({ gate: () => hold?.() ?? Promise.resolve(), epochDelayMs: 15 }) : null },
  );
  const call = async <T = { error: { code: string; message: string } }>(method: string, path: string, body?: unknown, token: string | null = ADMIN) => {
    const res = await fetch(`${hub.httpUrl}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as T };
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'edgehive-registry-api-'));
    hub = await startTestHub();
    viewer = (await createToken(hub.store, systemClock, 'screen', 'viewer')).token;
    for (const [id, n] of [['pump-1', 120], ['pump-2', 3]] as const) {
      await hub.provision({ id, group: 'plant', profile: 'rpi4', publicKey: toBase64(generateKeyPair().publicKey) });
      await hub.store.writeTelemetry([{
        device: id, stream: 'main', firstSeq: 1, features: ['f0', 'f1'], droppedTotal: 0, backlog: 0, receivedAtMs: T0,
        readings: Array.from({ length: n }, (_, i) => ({ tsMs: T0 + i * 1000, values: [Math.sin(i / 4), 5 + Math.cos(i / 9)] })),
      }]);
    }
  });

  after(async () => {
    await hub.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('needs a token (401), a read role to read and operator to train (403)', async () => {
    const none = await call('GET', '/api/v1/models', undefined, null);
    assert.equal(none.status, 401);
    assert.equal(none.body.error.code, 'EH_API_UNAUTHORIZED');
    assert.equal((await call('GET', '/api/v1/jobs/job-x/events', undefined, null)).status, 401);
    assert.equal((await call('GET', '/api/v1/models', undefined, viewer)).status, 200);
    const train = await call('POST', '/api/v1/models/pump-test/train', { recipe: testRecipe(), data: { device: 'pump-1' } }, viewer);
    assert.equal(train.status, 403);
    assert.equal(train.body.error.code, 'EH_API_FORBIDDEN');
    const doc = (await call<{ paths: Record<string, Record<string, { security?: unknown }>> }>('GET', '/api/v1/openapi.json', undefined, null)).body;
    for (const path of ['/api/v1/models', '/api/v1/models/{name}/versions/{version}/artefacts/{file}', '/api/v1/jobs/{id}/events']) assert.ok(doc.paths[path]?.get?.security, path);
    assert.ok(doc.paths['/api/v1/models/{name}/train']?.post);
  });

  it('refuses bad training requests, naming what is wrong', async () => {
    const unknown = await call('POST', '/api/v1/models/nothing-yet/train', { data: {} });
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.error.message, /no recipe/);
    const bad = await call('POST', '/api/v1/models/pump-test/train', { recipe: { ...testRecipe(), input: { ...testRecipe().input, window: { length: 0, stride: 1 } } }, data: {} });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'EH_RECIPE_INVALID');
    assert.match(bad.body.error.message, /\/input\/window\/length/);
    const named = await call('POST', '/api/v1/models/other-name/train', { recipe: testRecipe(), data: {} });
    assert.equal(named.status, 400);
    assert.match(named.body.error.message, /recipe\/name/);
    const both = await call('POST', '/api/v1/models/pump-test/train', { recipe: testRecipe(), data: { device: 'pump-1', group: 'plant' } });
    assert.equal(both.status, 400);
    const ghost = await call('POST', '/api/v1/models/pump-test/train', { recipe: testRecipe(), data: { device: 'ghost' } });
    assert.equal(ghost.status, 404);
    const time = await call('POST', '/api/v1/models/pump-test/train', { recipe: testRecipe(), data: { from: 'yesterday' } });
    assert.equal(time.status, 400);
    assert.match(time.body.error.message, /data\.from/);
    assert.equal((await call('GET', '/api/v1/models/nothing-yet/versions')).status, 404);
    assert.equal((await call('GET', '/api/v1/jobs/job-nope')).status, 404);
  });

  it('trains: 202 with a job id, progress over SSE until the end, then the version with its artefacts', async () => {
    const g = gate();
    hold = g.wait;
    const start = await call<{ jobId: string; links: { events: string } }>('POST', '/api/v1/models/pump-test/train', {
      recipe: testRecipe(), data: { device: 'pump-1', from: new Date(T0).toISOString(), to: T0 + 99_000 },
    });
    assert.equal(start.status, 202, JSON.stringify(start.body));
    const { jobId } = start.body;
    await g.waiting;
    const sse = await fetch(`${hub.httpUrl}${start.body.links.events}`, { headers: { authorization: `Bearer ${viewer}` } });
    hold = null;
    g.open();
    assert.equal(sse.status, 200);
    assert.match(sse.headers.get('content-type') ?? '', /^text\/event-stream/);
    const events = await readEvents(sse);
    assert.equal(events[0]?.event, 'state');
    const epochs = events.filter((e) => e.event === 'progress' && e.job.progress?.stage === 'train').map((e) => e.job.progress!.epoch);
    assert.deepEqual(epochs, [1, 2, 3, 4, 5]);
    const last = events.at(-1)!;
    assert.equal(last.event, 'end');
    assert.equal(last.job.state, 'succeeded');
    assert.equal(last.job.version, 1);

    const job = await call<Job>('GET', `/api/v1/jobs/${jobId}`, undefined, viewer);
    assert.equal(job.body.state, 'succeeded');
    assert.equal(job.body.progress?.stage, 'register');
    const models = await call<{ models: ModelSummary[] }>('GET', '/api/v1/models', undefined, viewer);
    assert.deepEqual(models.body.models.map((m) => [m.name, m.task, m.latest?.version, m.latest?.status]), [['pump-test', 'anomaly', 1, 'ready']]);
    const versions = await call<{ versions: ModelVersion[] }>('GET', '/api/v1/models/pump-test/versions', undefined, viewer);
    const v = versions.body.versions[0]!;
    assert.equal(v.lineage.trainingJobId, jobId);
    assert.deepEqual(v.dataRange, { source: 'store', device: 'pump-1', fromMs: T0, toMs: T0 + 99_000, rows: 100 });
    assert.deepEqual(v.variants.map((x) => x.variant), ['fp32', 'int8']);
    assert.equal(v.plan[0]?.profile, 'rpi4');
    assert.equal((await call<ModelVersion>('GET', '/api/v1/models/pump-test/versions/1')).body.version, 1);
    assert.equal((await call('GET', '/api/v1/models/pump-test/versions/7')).status, 404);

    const int8 = v.variants.find((x) => x.variant === 'int8')!;
    const dl = await fetch(`${hub.httpUrl}/api/v1/models/pump-test/versions/1/artefacts/${int8.file}`, { headers: { authorization: `Bearer ${viewer}` } });
    assert.equal(dl.status, 200);
    const bytes = new Uint8Array(await dl.arrayBuffer());
    assert.equal(sha256Hex(bytes), int8.sha256);
    assert.equal(dl.headers.get('x-edgehive-sha256'), int8.sha256);
    assert.equal(bytes.byteLength, int8.bytes);
    assert.equal((await call('GET', '/api/v1/models/pump-test/versions/1/artefacts/graph.json')).status, 404);

    // An SSE request for a finished job says how it ended, at once.
    const ended = await readEvents(await fetch(`${hub.httpUrl}/api/v1/jobs/${jobId}/events`, { headers: { authorization: `Bearer ${viewer}` } }));
    assert.deepEqual(ended.map((e) => e.event), ['state', 'end']);
  });

  it('refuses a second job for a model while one runs (409); without a recipe it reuses the last one', async () => {
    const g = gate();
    hold = g.wait;
    try {
      const first = await call<{ jobId: string }>('POST', '/api/v1/models/pump-test/train', { data: { device: 'pump-1' } });
      assert.equal(first.status, 202);
      await g.waiting;
      const running = await call<Job>('GET', `/api/v1/jobs/${first.body.jobId}`);
      assert.equal(running.body.state, 'running');
      assert.equal(running.body.progress?.stage, 'data');
      const second = await call('POST', '/api/v1/models/pump-test/train', { data: { device: 'pump-1' } });
      assert.equal(second.status, 409);
      assert.equal(second.body.error.code, 'EH_CONFLICT');
      assert.match(second.body.error.message, new RegExp(first.body.jobId));
      g.open();
      assert.equal((await hub.jobs.wait(first.body.jobId)).version, 2);
    } finally {
      hold = null;
      g.open();
    }
  });

  it('records a failed job with its code', async () => {
    const r = await call<{ jobId: string }>('POST', '/api/v1/models/pump-test/train', { data: { device: 'pump-2' } });
    await hub.jobs.wait(r.body.jobId);
    const job = await call<Job>('GET', `/api/v1/jobs/${r.body.jobId}`);
    assert.equal(job.body.state, 'failed');
    assert.equal(job.body.error?.code, 'EH_DATA_INSUFFICIENT');
  });

  it('keeps jobs across a restart (one running at the stop is failed), and answers 503 to training without a pipeline', async () => {
    const g = gate();
    hold = g.wait;
    const held = await call<{ jobId: string }>('POST', '/api/v1/models/pump-test/train', { data: { device: 'pump-1' } });
    await g.waiting;
    hold = null;
    await hub.close();
    g.open();
    hub = await startTestHub(false);
    const job = await call<Job>('GET', `/api/v1/jobs/${held.body.jobId}`);
    assert.equal(job.body.state, 'failed');
    assert.match(job.body.error?.message ?? '', /hub (stopped|restarted)/);
    const list = await call<{ jobs: Job[] }>('GET', '/api/v1/jobs?model=pump-test&state=succeeded');
    assert.equal(list.body.jobs.length, 2);
    const off = await call('POST', '/api/v1/models/pump-test/train', { data: { device: 'pump-1' } });
    assert.equal(off.status, 503);
    assert.match(off.body.error.message, /training is not enabled/);
    assert.equal((await call<{ versions: ModelVersion[] }>('GET', '/api/v1/models/pump-test/versions')).body.versions.length, 2);
  });
});
