/**
 * The dashboard page and the data it reads, over real HTTP on a real hub: the page names every
 * endpoint it reads, each answers a viewer token, and for real data (versions registered, a
 * deployment started, drift reports stored, a challenger refused by the shadow manager) carries
 * the fields the page renders.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createToken } from '../../cloud-hub/api/auth.ts';
import type { DriftRow } from '../../cloud-hub/store/drift-store.ts';
import { generateKeyPair, toBase64 } from '../../shared/crypto/ed25519.ts';
import { systemClock } from '../../shared/time/clock.ts';
import { ADMIN_TOKEN, api, startTestHub, type TestHub } from './hub-helpers.ts';
import { registerVersion } from './rollout-devices.ts';

const MODEL = 'pump-ae';
type Obj = Record<string, unknown>;

function hasKeys(o: unknown, keys: readonly string[], where: string): void {
  assert.ok(o !== null && typeof o === 'object', `${where}: not an object`);
  for (const k of keys) assert.ok(k in (o as Obj), `${where}: no ${k}`);
}

describe('web dashboard', () => {
  let h: TestHub;
  let viewer: string;
  let html: string;
  let v2: number;
  const provision = (id: string, group: string) => h.hub.provision({ id, profile: 'rpi4', group, publicKey: toBase64(generateKeyPair().publicKey) });

  before(async () => {
    h = await startTestHub({ fleet: 'dash' });
    viewer = (await createToken(h.hub.store, systemClock, 'screen', 'viewer')).token;
    await registerVersion(h, MODEL, 3);
    v2 = await registerVersion(h, MODEL, 4);
  });
  after(async () => { await h.close(); });

  it('serves the page at / without a token, and the data it reads needs one', async () => {
    const page = await fetch(`${h.hub.httpUrl}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    html = await page.text();
    assert.match(html, /edgehive hub/);
    assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//, 'no external assets');
    assert.equal((await fetch(`${h.hub.httpUrl}/api/v1/devices`)).status, 401);
  });

  it('names every endpoint it reads, each a GET a viewer token may call', async () => {
    const reads: Array<[RegExp, string]> = [
      [/'\/api\/v1\/devices\?limit=1000'/, '/api/v1/devices?limit=1000'],
      [/'\/api\/v1\/models'/, '/api/v1/models'],
      [/`\/api\/v1\/models\/\$\{enc\(m\.name\)\}\/versions`/, `/api/v1/models/${MODEL}/versions`],
      [/'\/api\/v1\/deployments\?limit=20'/, '/api/v1/deployments?limit=20'],
      [/'\/api\/v1\/drift\?limit=2000'/, '/api/v1/drift?limit=2000'],
      [/`\/api\/v1\/models\/\$\{enc\(m\.name\)\}\/drift-status`/, `/api/v1/models/${MODEL}/drift-status`],
      [/`\/api\/v1\/models\/\$\{enc\(m\.name\)\}\/shadow`/, `/api/v1/models/${MODEL}/shadow`],
    ];
    for (const [pattern, path] of reads) {
      assert.match(html, pattern);
      assert.equal((await api(h.hub.httpUrl, path, viewer)).status, 200, path);
      assert.equal((await fetch(`${h.hub.httpUrl}${path}`)).status, 401, `${path} without a token`);
    }
    // Every API path in the page is one of those: it reads nothing else.
    const named = new Set([...html.matchAll(/\/api\/v1\/[a-z-]+(\/\$\{[^}]+\}\/[a-z-]+)?/g)].map((m) => m[0]));
    assert.deepEqual([...named].sort(), [
      '/api/v1/deployments', '/api/v1/devices', '/api/v1/drift', '/api/v1/models',
      '/api/v1/models/${enc(m.name)}/drift-status', '/api/v1/models/${enc(m.name)}/shadow', '/api/v1/models/${enc(m.name)}/versions',
    ]);
    assert.doesNotMatch(html, /method:/, 'the page only GETs');
  });

  it('the device list the page renders carries the fields it shows', async () => {
    await provision('dash-1', 'g');
    const { body } = await api<{ devices: Obj[] }>(h.hub.httpUrl, '/api/v1/devices?limit=1000', viewer);
    const d = body.devices.find((x) => x.id === 'dash-1')!;
    hasKeys(d, ['id', 'group', 'profile', 'online', 'lastSeenMs', 'readingsStored', 'backlog', 'droppedReadings', 'agentVersion'], 'device');
  });

  it('models: the summary and the versions carry what the models table shows', async () => {
    const { body } = await api<{ models: Obj[] }>(h.hub.httpUrl, '/api/v1/models', viewer);
    const m = body.models.find((x) => x.name === MODEL)!;
    hasKeys(m, ['name'], 'model');
    const { body: vs } = await api<{ model: string; versions: Obj[] }>(h.hub.httpUrl, `/api/v1/models/${MODEL}/versions`, viewer);
    assert.equal(vs.model, MODEL);
    assert.deepEqual(vs.versions.map((v) => v.version), [1, v2], 'oldest first: the page shows the last three, newest first');
    const v = vs.versions.at(-1)!;
    hasKeys(v, ['version', 'status', 'statusReason', 'createdAtMs', 'variants'], 'version');
    assert.equal(v.status, 'ready');
    const variants = v.variants as Obj[];
    assert.deepEqual(variants.map((x) => x.variant), ['fp32', 'int8']);
    for (const x of variants) {
      hasKeys(x, ['variant', 'bytes', 'accepted'], 'variant');
      assert.ok((x.bytes as number) > 0);
    }
  });

  it('deployments: a started rollout carries model, target, state, and per wave percent, state, counts and reason', async () => {
    await provision('dash-p1', 'plant');
    await provision('dash-p2', 'plant');
    const res = await fetch(`${h.hub.httpUrl}/api/v1/deployments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, version: v2, target: { group: 'plant' }, waves: [{ percent: 50 }, { percent: 100 }] }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    const id = ((await res.json()) as Obj).id;
    const { body } = await api<{ deployments: Obj[] }>(h.hub.httpUrl, '/api/v1/deployments?limit=20', viewer);
    assert.equal(body.deployments[0]!.id, id, 'newest first');
    const d = body.deployments[0]!;
    hasKeys(d, ['id', 'source', 'target', 'state', 'reason', 'createdMs', 'waves'], 'deployment');
    assert.deepEqual(d.source, { model: MODEL, version: v2 });
    assert.deepEqual(d.target, { group: 'plant' });
    assert.equal(d.state, 'running');
    const waves = d.waves as Obj[];
    assert.deepEqual(waves.map((w) => w.percent), [50, 100]);
    let devices = 0;
    for (const w of waves) {
      hasKeys(w, ['percent', 'state', 'counts', 'reason'], 'wave');
      hasKeys(w.counts, ['installed', 'installing', 'pending', 'failed', 'offline'], 'wave counts');
      devices += Object.values(w.counts as Record<string, number>).reduce((a, b) => a + b, 0);
    }
    assert.equal(devices, 2, 'each target device counted once');
  });

  it('drift: stored reports come back newest first with what the drift table shows, and drift-status gives the policy and verdicts', async () => {
    await provision('dash-d1', 'line');
    await provision('dash-d2', 'line');
    const now = Date.now();
    const row = (device: string, seq: number, feature: string, more: Partial<DriftRow> = {}): DriftRow => ({
      device, seq, tsMs: now - (3 - seq) * 60_000, receivedMs: now, model: MODEL, modelVersion: '2', feature,
      psi: 0.02, ks: 0.05, missingRate: 0, outOfRangeRate: 0, stuck: false, samples: 2000, outputJs: 0.01, alarm: false, ...more,
    });
    await h.hub.store.drift.putDriftReports([
      row('dash-d1', 1, 'f0'), row('dash-d1', 1, 'f1'),
      row('dash-d1', 2, 'f0', { psi: 0.41, ks: 0.27, alarm: true }), row('dash-d1', 2, 'f1', { alarm: true }),
      row('dash-d2', 2, 'f0'), row('dash-d2', 2, 'f1', { stuck: true, missingRate: 0.3 }),
    ]);
    const { body } = await api<{ rows: Obj[]; truncated: boolean }>(h.hub.httpUrl, '/api/v1/drift?limit=2000', viewer);
    assert.equal(body.rows.length, 6);
    assert.equal(body.truncated, false);
    const ts = body.rows.map((r) => r.tsMs as number);
    assert.deepEqual(ts, [...ts].sort((a, b) => b - a), 'newest first: the page keeps the first row per device and feature');
    for (const r of body.rows) {
      hasKeys(r, ['device', 'model', 'modelVersion', 'feature', 'psi', 'ks', 'outputJs', 'missingRate', 'outOfRangeRate', 'stuck', 'alarm', 'samples', 'tsMs'], 'drift row');
    }
    const latest = body.rows.find((r) => r.device === 'dash-d1' && r.feature === 'f0')!;
    assert.equal(latest.seq, 2);
    assert.equal(latest.psi, 0.41);
    assert.equal(latest.alarm, true);

    const path = `/api/v1/models/${MODEL}/drift-status`;
    const before = (await api<Obj>(h.hub.httpUrl, path, viewer)).body;
    hasKeys(before, ['model', 'policy', 'verdicts', 'evaluatedAtMs', 'lastTrigger', 'cooldownUntilMs'], 'drift status');
    hasKeys((before.policy as Obj).drifting, ['psi', 'ks', 'outputJs', 'missingRate'], 'policy thresholds the page flags with');
    assert.equal((before.policy as Obj).enabled, true);
    await h.hub.driftPolicy.evaluate(MODEL); // what the hub does when the ingest commits reports or its timer fires
    const s = (await api<{ verdicts: Obj[]; evaluatedAtMs: number | null; lastTrigger: unknown }>(h.hub.httpUrl, path, viewer)).body;
    assert.equal(typeof s.evaluatedAtMs, 'number');
    assert.equal(s.lastTrigger, null, 'two devices are under minDevices: no retraining');
    const v = s.verdicts.find((x) => x.group === 'line')!;
    hasKeys(v, ['group', 'devices', 'drifting', 'share', 'trigger', 'reasons', 'quality'], 'verdict');
    assert.equal(v.devices, 2);
    assert.equal(v.trigger, false);
    assert.deepEqual(v.quality, [{ device: 'dash-d2', problems: ['stuck:f1', 'missing:f1'] }]);
  });

  it('shadow: none at first, then the refused challenger with what the shadow table shows', async () => {
    const path = `/api/v1/models/${MODEL}/shadow`;
    assert.deepEqual((await api(h.hub.httpUrl, path, viewer)).body, { model: MODEL, evaluation: null });
    // v2 beside its champion v1: no online device runs v1, so the shadow manager refuses it (and stores that).
    const res = await fetch(`${h.hub.httpUrl}/api/v1/models/${MODEL}/versions/${v2}/shadow`, {
      method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: '{}',
    });
    assert.equal(res.status, 200, await res.clone().text());
    const { body } = await api<{ model: string; evaluation: Obj }>(h.hub.httpUrl, path, viewer);
    const e = body.evaluation;
    hasKeys(e, ['model', 'version', 'championVersion', 'state', 'groups', 'devices', 'stats', 'verdict', 'reason', 'startedMs'], 'evaluation');
    assert.equal(e.version, v2);
    assert.equal(e.championVersion, 1);
    assert.equal(e.state, 'refused');
    assert.equal(e.verdict, null);
    assert.match(e.reason as string, /no online device/);
    assert.deepEqual(e.stats, {});
  });
});
