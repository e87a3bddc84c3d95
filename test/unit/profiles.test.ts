import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  defaultProfilesDir, estimateLatencyMs, fitsProfile, loadProfile, loadProfileFile, loadProfiles, type DeviceProfile,
} from '../../device-profiles/index.ts';
import { SIM_PROFILES } from '../../simulators/fleet/layout.ts';

const DIR = defaultProfilesDir();
const MiB = 1024 * 1024;
const SHIPPED = ['jetson-orin-nano', 'rpi-zero-2w', 'rpi4', 'rpi5', 'x86-gateway'];

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'edgehive-profiles-'));
}

function shipped(id: string): DeviceProfile {
  return JSON.parse(readFileSync(join(DIR, `${id}.json`), 'utf8')) as DeviceProfile;
}

type EdgehiveLike = Error & { code?: string };

test('every shipped profile validates; the five classes are there, the simulator\'s ids among them', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
  for (const f of files) loadProfileFile(join(DIR, f)); // throws on any problem
  const ids = loadProfiles().map((p) => p.id);
  assert.equal(ids.length, files.length);
  for (const id of SHIPPED) assert.ok(ids.includes(id), `${id} is shipped`);
  for (const id of SIM_PROFILES) assert.ok(ids.includes(id), `simulator profile ${id} has a file`);
});

test('ids are unique and equal to the file names', () => {
  const profiles = loadProfiles(DIR);
  assert.equal(new Set(profiles.map((p) => p.id)).size, profiles.length);
  for (const f of readdirSync(DIR).filter((x) => x.endsWith('.json'))) {
    const doc = JSON.parse(readFileSync(join(DIR, f), 'utf8')) as { id: string };
    assert.equal(`${doc.id}.json`, f);
  }
});

test('each profile names at least one source with a URL, and the hardware figures are there', () => {
  for (const p of loadProfiles()) {
    assert.ok(p.sources.length >= 1, p.id);
    for (const s of p.sources) {
      assert.match(s.url, /^https?:\/\/\S+$/, `${p.id}: ${s.title}`);
      assert.match(s.retrieved, /^\d{4}-\d{2}-\d{2}$/);
      assert.ok(s.title.length > 0);
    }
    assert.ok(p.cpu.cores >= 1 && p.ramBytes > 0 && p.computeFactor > 0, p.id);
    assert.ok(p.executionProviders.includes('cpu'), p.id);
    assert.ok(p.computeFactorBasis.length > 40, `${p.id} says how its compute factor was estimated`);
  }
  // The Arm classes without the dot-product extension say so; the Armv8.2-A ones have it.
  assert.equal(shipped('rpi-zero-2w').int8.supported, false);
  assert.equal(shipped('rpi4').int8.supported, false);
  assert.equal(shipped('rpi5').int8.supported, true);
  assert.equal(shipped('jetson-orin-nano').int8.supported, true);
  assert.deepEqual(shipped('jetson-orin-nano').executionProviders, ['cpu', 'cuda', 'tensorrt']);
  assert.equal(shipped('x86-gateway').architecture, 'x86_64');
});

test('loader errors name the file and the field of a broken profile', () => {
  const dir = tempDir();
  try {
    const good = shipped('rpi4');
    const path = join(dir, 'broken.json');

    writeFileSync(path, JSON.stringify({ ...good, id: 'broken', cpu: { ...good.cpu, cores: 'four' } }));
    assert.throws(() => loadProfileFile(path), (e: EdgehiveLike) =>
      e.code === 'EH_CONFIG_INVALID' && e.message.includes('broken.json') && e.message.includes('/cpu/cores'));
    assert.throws(() => loadProfiles(dir), /broken\.json.*\/cpu\/cores/);

    writeFileSync(path, JSON.stringify({ ...good, id: 'broken', limits: { maxModelBytes: 1 } }));
    assert.throws(() => loadProfiles(dir), /broken\.json.*\/limits\/maxAgentRssBytes/);

    writeFileSync(path, JSON.stringify({ ...good, id: 'broken', sources: [] }));
    assert.throws(() => loadProfiles(dir), /broken\.json.*\/sources/);

    writeFileSync(path, JSON.stringify({ ...good, id: 'broken', sources: [{ title: 't', url: 'not a url', retrieved: '2026-01-01' }] }));
    assert.throws(() => loadProfiles(dir), /broken\.json.*\/sources\/0\/url/);

    writeFileSync(path, JSON.stringify({ ...good, id: 'broken', executionProviders: ['cuda'] }));
    assert.throws(() => loadProfiles(dir), /broken\.json.*\/executionProviders/);

    writeFileSync(path, JSON.stringify({ ...good, id: 'broken', ramBytes: 64 * MiB }));
    assert.throws(() => loadProfiles(dir), /broken\.json.*\/limits\/maxAgentRssBytes.*exceeds ramBytes/);

    writeFileSync(path, JSON.stringify({ ...good, id: 'broken', colour: 'green' }));
    assert.throws(() => loadProfiles(dir), /broken\.json.*(colour|additional)/i);

    writeFileSync(path, JSON.stringify({ ...good }));
    assert.throws(() => loadProfiles(dir), /broken\.json.*\/id.*file name/);

    writeFileSync(path, '{ "id": "broken", ');
    assert.throws(() => loadProfiles(dir), (e: EdgehiveLike) => e.code === 'EH_CONFIG_INVALID' && /broken\.json.*not valid JSON/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a second profile with an id already loaded is refused, naming both files', () => {
  const a = tempDir();
  const b = tempDir();
  try {
    const p = shipped('rpi5');
    writeFileSync(join(a, 'rpi5.json'), JSON.stringify(p));
    writeFileSync(join(b, 'rpi5.json'), JSON.stringify({ ...p, name: 'my Pi 5' }));
    assert.throws(() => loadProfiles([a, b]), (e: EdgehiveLike) =>
      e.code === 'EH_CONFLICT' && e.message.includes(join(a, 'rpi5.json')) && e.message.includes(join(b, 'rpi5.json')));
    assert.equal(loadProfiles(a).length, 1);
  } finally {
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
});

test('one profile by id; unknown and malformed ids are refused', () => {
  assert.equal(loadProfile('rpi4').name, shipped('rpi4').name);
  assert.throws(() => loadProfile('no-such-device'), (e: EdgehiveLike) => e.code === 'EH_NOT_FOUND');
  assert.throws(() => loadProfile('../package'), (e: EdgehiveLike) => e.code === 'EH_ID_INVALID');
});

test('estimateLatencyMs scales the hub latency by the compute factor (above 1 = slower device)', () => {
  const zero = loadProfile('rpi-zero-2w');
  assert.equal(estimateLatencyMs(2, zero), 2 * zero.computeFactor);
  assert.ok(estimateLatencyMs(2, zero) > 2);
  assert.equal(estimateLatencyMs(0, zero), 0);
  assert.throws(() => estimateLatencyMs(Number.NaN, zero), (e: EdgehiveLike) => e.code === 'EH_BAD_REQUEST');
  assert.throws(() => estimateLatencyMs(-1, zero), /hubLatencyMs/);
});

test('fitsProfile refuses each limit with a message naming it and both numbers', () => {
  const p = loadProfile('rpi4');
  const fine = { modelBytes: 1 * MiB, peakRssBytes: 200 * MiB, estimatedLatencyMs: 10 };
  assert.deepEqual(fitsProfile(p, fine), { ok: true });
  // exactly at a limit still fits
  assert.equal(fitsProfile(p, { modelBytes: p.limits.maxModelBytes, peakRssBytes: p.limits.maxAgentRssBytes, estimatedLatencyMs: p.inferenceLatencyBudgetMs }).ok, true);

  const cases = [
    { over: { ...fine, modelBytes: p.limits.maxModelBytes + 1 }, failed: 'maxModelBytes', limit: p.limits.maxModelBytes, actual: p.limits.maxModelBytes + 1 },
    { over: { ...fine, peakRssBytes: p.limits.maxAgentRssBytes + 1 }, failed: 'maxAgentRssBytes', limit: p.limits.maxAgentRssBytes, actual: p.limits.maxAgentRssBytes + 1 },
    { over: { ...fine, estimatedLatencyMs: p.inferenceLatencyBudgetMs + 0.5 }, failed: 'inferenceLatencyBudgetMs', limit: p.inferenceLatencyBudgetMs, actual: p.inferenceLatencyBudgetMs + 0.5 },
  ] as const;
  for (const c of cases) {
    const r = fitsProfile(p, c.over);
    assert.equal(r.ok, false);
    if (r.ok) continue;
    assert.equal(r.failed, c.failed);
    assert.equal(r.limit, c.limit);
    assert.equal(r.actual, c.actual);
    assert.ok(r.message.includes(c.failed), r.message);
    assert.ok(r.message.includes(String(c.limit)), r.message);
    assert.ok(r.message.includes(String(c.actual)), r.message);
  }
  assert.throws(() => fitsProfile(p, { ...fine, modelBytes: Number.POSITIVE_INFINITY }), (e: EdgehiveLike) => e.code === 'EH_BAD_REQUEST');
});

test('a Pi Zero 2 W refuses a model its limits cannot hold while a Jetson Orin Nano accepts it', () => {
  const zero = loadProfile('rpi-zero-2w');
  const jetson = loadProfile('jetson-orin-nano');
  const hubLatencyMs = 3;
  const model = { modelBytes: 24 * MiB, peakRssBytes: 400 * MiB };

  const onZero = fitsProfile(zero, { ...model, estimatedLatencyMs: estimateLatencyMs(hubLatencyMs, zero) });
  assert.equal(onZero.ok, false);
  if (!onZero.ok) {
    assert.equal(onZero.failed, 'maxModelBytes');
    assert.match(onZero.message, /rpi-zero-2w.*25165824 bytes.*maxModelBytes 8388608 bytes/);
  }
  // Even a small enough file is refused on memory.
  const smaller = fitsProfile(zero, { modelBytes: 4 * MiB, peakRssBytes: 400 * MiB, estimatedLatencyMs: estimateLatencyMs(hubLatencyMs, zero) });
  assert.equal(smaller.ok ? undefined : smaller.failed, 'maxAgentRssBytes');

  assert.deepEqual(fitsProfile(jetson, { ...model, estimatedLatencyMs: estimateLatencyMs(hubLatencyMs, jetson) }), { ok: true });
});
