/**
 * The bundle service on a real SQLite store, registry and key directory: a bundle that does not
 * fit a device class is refused naming the limit (maxModelBytes, or half of bundleStorageBytes
 * for the two slots), checkFits refuses a profile the bundle does not target, and an upload is
 * refused with the verifier's code when it is expired, too large, carries an older signing-key
 * list than the hub's, or belongs to another fleet.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BundleFiles } from '../../cloud-hub/bundles/bundle-files.ts';
import { HubBundleService, type BundleSettings } from '../../cloud-hub/bundles/bundle-service.ts';
import { profileLookup } from '../../cloud-hub/bundles/fit.ts';
import { DataType, node, tensorValueInfo } from '../../cloud-hub/onnx/index.ts';
import { ArtefactFiles } from '../../cloud-hub/registry/artefact-files.ts';
import { ModelRegistry } from '../../cloud-hub/registry/registry.ts';
import type { BundleRecord } from '../../cloud-hub/store/rollout-store.ts';
import { SqliteStore } from '../../cloud-hub/store/sqlite-store.ts';
import { defaultProfilesDir } from '../../device-profiles/index.ts';
import { buildBundle, initDevTrust, loadHubTrust, newSigningKey, type HubTrust } from '../../shared/bundle/index.ts';
import { silentLogger } from '../../shared/log/logger.ts';
import { ManualClock } from '../../shared/time/clock.ts';
import { buildModel } from '../support/onnx-models.ts';
import { testRecipe } from '../integration/registry-pipeline.ts';

const T0 = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;

const tanh = (): Uint8Array => buildModel({
  input: tensorValueInfo('x', DataType.FLOAT, ['N', 4, 2]),
  output: tensorValueInfo('y', DataType.FLOAT, ['N', 4, 2]),
  initialisers: [],
  nodes: [node('Tanh', ['x'], ['y'], [], 'squash')],
});

interface Code { code: string; message: string }

describe('bundle service', () => {
  let dir: string;
  let store: SqliteStore;
  let registry: ModelRegistry;
  let trust: HubTrust;
  const clock = new ManualClock(T0);
  const settings: BundleSettings = { fleet: 'unit', ttlMs: 90 * DAY, minAgentVersion: '0.1.0', defaultStream: 'sensors', maxUploadBytes: 1024 * 1024 };
  const profilesDir = () => join(dir, 'profiles');

  /** A device class like rpi4 with other limits, written as a real profile file. */
  const profile = (id: string, limits: { maxModelBytes: number; bundleStorageBytes: number }) => {
    const doc = JSON.parse(readFileSync(join(defaultProfilesDir(), 'rpi4.json'), 'utf8')) as Record<string, unknown> & { limits: Record<string, number> };
    writeFileSync(join(profilesDir(), `${id}.json`), JSON.stringify({ ...doc, id, bundleStorageBytes: limits.bundleStorageBytes, limits: { ...doc.limits, maxModelBytes: limits.maxModelBytes } }));
  };
  const service = (over: Partial<BundleSettings> = {}, t: HubTrust = trust) => new HubBundleService({ ...settings, ...over }, {
    store, rollouts: store.rollouts, registry, files: new BundleFiles(join(dir, 'bundles')), trust: t, profiles: profileLookup(profilesDir()), clock, logger: silentLogger(),
  });

  /** A ready version whose plan gives fp32 to each of `profiles`. */
  const register = async (name: string, profiles: string[]): Promise<number> => (await registry.register({
    recipe: testRecipe(name),
    files: { 'model.fp32.onnx': tanh() },
    complete: {
      status: 'ready', preprocess: { features: ['f0', 'f1'] }, metrics: { fp32: { mse: 0.1 } },
      variants: [{ variant: 'fp32', file: 'model.fp32.onnx', accepted: true }],
      plan: profiles.map((profile) => ({ profile, variant: 'fp32' as const, reason: `profile ${profile}: fp32`, estimates: {} })),
    },
  })).version;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'edgehive-bundle-service-'));
    mkdirSync(profilesDir());
    writeFileSync(join(profilesDir(), 'rpi4.json'), readFileSync(join(defaultProfilesDir(), 'rpi4.json')));
    store = new SqliteStore({ path: join(dir, 'hub.db') });
    await store.init();
    registry = new ModelRegistry({ store: store.models, files: new ArtefactFiles(join(dir, 'artefacts')), clock });
    trust = initDevTrust(join(dir, 'keys'), 'unit', T0);
  });

  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a device class whose maxModelBytes or bundle storage the bundle does not fit, naming the limit', async () => {
    const probe = (await service().bundlesForVersion('probe', await register('probe', ['rpi4']), ['rpi4'])).get('rpi4')!;
    const modelBytes = tanh().length;
    profile('tiny-model', { maxModelBytes: modelBytes - 1, bundleStorageBytes: 1024 * 1024 });
    // The model fits, but two copies of the whole bundle do not.
    profile('tiny-storage', { maxModelBytes: probe.bytes + 100, bundleStorageBytes: probe.bytes + 100 });
    const s = service();
    const v = await register('fit', ['rpi4', 'tiny-model', 'tiny-storage']);
    await assert.rejects(s.bundlesForVersion('fit', v, ['tiny-model']), (e: Code) => e.code === 'EH_PROFILE_UNFIT' && /maxModelBytes/.test(e.message) && /tiny-model/.test(e.message));
    await assert.rejects(s.bundlesForVersion('fit', v, ['tiny-storage']), (e: Code) => e.code === 'EH_PROFILE_UNFIT' && /bundleStorageBytes/.test(e.message) && /two bundle slots/.test(e.message));
    const ok = (await s.bundlesForVersion('fit', v, ['rpi4'])).get('rpi4')!;
    assert.deepEqual(ok.manifest.targets.map((t) => t.profile), ['rpi4', 'tiny-storage'], 'a planned class the model cannot fit at all is left out of the targets');
    assert.equal(ok.manifest.stream, 'sensors', 'no stored readings: the default stream');
  });

  it('refuses a profile the bundle does not target, and a version that is not ready', async () => {
    const s = service();
    const b = (await s.bundlesForVersion('probe', 1, ['rpi4'])).get('rpi4')!;
    assert.throws(() => s.checkFits(b, 'rpi5'), (e: Code) => e.code === 'EH_PROFILE_UNFIT' && /targets rpi4, not profile rpi5/.test(e.message));
    assert.doesNotThrow(() => s.checkFits(b, 'rpi4'));
    const training = await registry.createVersion({ recipe: testRecipe('probe') });
    await assert.rejects(s.bundlesForVersion('probe', training.version, ['rpi4']), (e: Code) => e.code === 'EH_STATE');
  });

  it('refuses uploads that are expired, too large, on an older signing-key list, or from another fleet', async () => {
    const base = (await service().bundlesForVersion('probe', 1, ['rpi4'])).get('rpi4')!.manifest;
    const { format: _f, artefacts: _a, ...manifest } = base;
    const build = (over: Partial<typeof manifest>, t: HubTrust = trust) => buildBundle({
      manifest: { ...manifest, ...over }, artefacts: [{ name: 'model.onnx', kind: 'model.onnx', data: tanh() }], signer: t.signer, roots: t.roots, keys: t.keys,
    }).bytes;
    const s = service();

    const expired = build({ version: 50, createdMs: T0 - 2 * DAY, expiresMs: T0 - DAY });
    await assert.rejects(s.upload(expired, 'test'), (e: Code) => e.code === 'EH_BUNDLE_EXPIRED');
    await assert.rejects(service({ maxUploadBytes: 1024 }).upload(build({ version: 51 }), 'test'), (e: Code) => e.code === 'EH_PAYLOAD_TOO_LARGE');

    const other = initDevTrust(join(dir, 'other-keys'), 'other', T0);
    await assert.rejects(s.upload(build({ version: 52, fleet: 'other' }, other), 'test'), (e: Code) => e.code.startsWith('EH_BUNDLE_'));

    const old = build({ version: 53 });
    newSigningKey(join(dir, 'keys'), { nowMs: T0 });
    const rotated = service({}, loadHubTrust(join(dir, 'keys'), T0));
    await assert.rejects(rotated.upload(old, 'test'), (e: Code) => e.code === 'EH_BUNDLE_TRUST_STALE' && /signing-key list v1/.test(e.message));
    const kept: BundleRecord = await s.upload(old, 'ops');
    assert.equal(kept.origin, 'upload');
    assert.equal(kept.version, 53);
    assert.deepEqual(Buffer.from(await s.read(kept.id)), Buffer.from(old), 'the file kept is the file uploaded');
  });
});
