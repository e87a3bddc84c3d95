import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  buildBundle, initDevTrust, initRoot, loadHubTrust, newSigningKey, readKeyList, revokeKey, rootOf, rotateRoot, summariseKeys, verifyBundle,
} from '../../shared/bundle/index.ts';
import { isEdgehiveError, type ErrorCode } from '../../shared/errors/index.ts';
import { ARTEFACTS, CTX, DAY, FLEET, manifestInput, T0 } from '../support/bundle-trust-fixtures.ts';

const base = mkdtempSync(join(tmpdir(), 'eh-keydir-'));
after(() => rmSync(base, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(base, `d${n++}`);

const refused = (code: ErrorCode, text?: RegExp) => (e: unknown) => {
  assert.ok(isEdgehiveError(e), `expected an EdgehiveError, got ${String(e)}`);
  assert.equal(e.code, code, e.message);
  if (text) assert.match(e.message, text);
  return true;
};

const mode = (p: string) => statSync(p).mode & 0o777;
const privateFiles = (dir: string) => [join(dir, 'signing-key.json'), ...readdirSync(join(dir, 'offline-root')).filter((f) => f.endsWith('.json')).map((f) => join(dir, 'offline-root', f))];

function bundleWith(dir: string, nowMs: number, version = 1) {
  const t = loadHubTrust(dir, nowMs);
  return buildBundle({ manifest: manifestInput({ version, createdMs: nowMs, expiresMs: nowMs + 30 * DAY }), artefacts: ARTEFACTS, signer: t.signer, roots: t.roots, keys: t.keys });
}

describe('initDevTrust', () => {
  test('creates a 2-of-3 root, a signing key valid 365 days and list v1, with private keys mode 0600', () => {
    const dir = fresh();
    const t = initDevTrust(dir, FLEET, T0);
    const root = rootOf(t);
    assert.equal(root.threshold, 2);
    assert.equal(root.keys.length, 3);
    assert.equal(t.keys.body.version, 1);
    assert.equal(t.keys.body.keys[0]!.expiresMs, T0 + 365 * DAY);
    assert.equal(t.keys.body.keys[0]!.id, t.signer.keyId);
    assert.equal(privateFiles(dir).length, 4);
    for (const p of privateFiles(dir)) assert.equal(mode(p), 0o600, p);
    assert.match(readFileSync(join(dir, 'offline-root', 'README.txt'), 'utf8'), /belong offline/);
  });

  test('is idempotent: a second call loads the same keys', () => {
    const dir = fresh();
    const a = initDevTrust(dir, FLEET, T0);
    const b = initDevTrust(dir, FLEET, T0 + DAY);
    assert.equal(b.signer.keyId, a.signer.keyId);
    assert.deepEqual(b.keys, a.keys);
    assert.throws(() => initDevTrust(dir, 'fleet-b', T0), refused('EH_CONFIG_INVALID', /fleet-a/));
  });
});

describe('loadHubTrust', () => {
  test('names the missing file and the command that creates it', () => {
    const dir = fresh();
    assert.throws(() => loadHubTrust(dir, T0), refused('EH_NOT_FOUND', /edgehive keys init-root --dir/));
    initRoot(dir, { fleet: FLEET, nowMs: T0 });
    assert.throws(() => loadHubTrust(dir, T0), refused('EH_NOT_FOUND', /signing-keys\.json.*edgehive keys new-signing-key/));
  });

  test('refuses an expired signing key, and a revoked one', () => {
    const dir = fresh();
    initRoot(dir, { fleet: FLEET, nowMs: T0 });
    newSigningKey(dir, { nowMs: T0, expiresDays: 10 });
    assert.doesNotThrow(() => loadHubTrust(dir, T0 + 9 * DAY));
    assert.throws(() => loadHubTrust(dir, T0 + 10 * DAY), refused('EH_BUNDLE_KEY_EXPIRED'));
    const { keyId } = newSigningKey(dir, { nowMs: T0 });
    const r = revokeKey(dir, keyId, T0);
    assert.equal(r.wasSigningKey, true);
    assert.throws(() => loadHubTrust(dir, T0), refused('EH_BUNDLE_KEY_REVOKED'));
  });

  test('never puts private key material in the public summary', () => {
    const dir = fresh();
    initDevTrust(dir, FLEET, T0);
    const text = JSON.stringify(summariseKeys(dir));
    for (const p of privateFiles(dir)) {
      const seed = JSON.parse(readFileSync(p, 'utf8')).seed as string;
      assert.ok(!text.includes(seed), `summary leaks the seed of ${p}`);
    }
  });
});

describe('key operations', () => {
  test('new-signing-key: list v2 keeps the old key, --replace drops it, and agents follow along', () => {
    const dir = fresh();
    const first = initDevTrust(dir, FLEET, T0);
    const b1 = bundleWith(dir, T0);
    const v1 = verifyBundle(b1.bytes, { root: rootOf(first), keyListVersion: 0, highestVersion: {} }, { ...CTX, nowMs: T0 + 1 });
    const { keyId } = newSigningKey(dir, { nowMs: T0 + DAY, expiresDays: 90 });
    const list = readKeyList(dir).body;
    assert.equal(list.version, 2);
    assert.deepEqual(list.keys.map((k) => k.id), [first.signer.keyId, keyId]);
    const b2 = bundleWith(dir, T0 + DAY, 2);
    const v2 = verifyBundle(b2.bytes, v1.trust, { ...CTX, nowMs: T0 + DAY });
    assert.equal(v2.signedBy, keyId);
    assert.equal(v2.trust.keyListVersion, 2);
    newSigningKey(dir, { nowMs: T0 + DAY, replace: true });
    assert.equal(readKeyList(dir).body.keys.length, 1);
    assert.equal(readKeyList(dir).body.version, 3);
  });

  test('revoke: the next list drops the key and lists it as revoked', () => {
    const dir = fresh();
    const t = initDevTrust(dir, FLEET, T0);
    const { keyId } = newSigningKey(dir, { nowMs: T0 });
    const r = revokeKey(dir, t.signer.keyId, T0);
    assert.equal(r.wasListed, true);
    assert.equal(r.wasSigningKey, false);
    assert.equal(r.list.body.version, 3);
    assert.deepEqual(r.list.body.keys.map((k) => k.id), [keyId]);
    assert.deepEqual(r.list.body.revoked, [t.signer.keyId]);
    assert.throws(() => revokeKey(dir, 'xyz', T0), refused('EH_CONFIG_INVALID'));
  });

  test('rotate-root: root v2 signed by v1, list re-signed for v2, old root keys retired; agents on v1 follow', () => {
    const dir = fresh();
    const t = initDevTrust(dir, FLEET, T0);
    const oldIds = rootOf(t).keys.map((k) => k.id);
    const { root, list } = rotateRoot(dir, { nowMs: T0 + DAY });
    assert.equal(root.version, 2);
    assert.equal(list?.body.rootVersion, 2);
    assert.equal(list?.body.version, 2);
    assert.ok(existsSync(join(dir, 'roots', 'root-2.json')));
    assert.deepEqual(readdirSync(join(dir, 'offline-root', 'v1')).sort(), oldIds.map((id) => `root-key-${id}.json`).sort());
    for (const p of readdirSync(join(dir, 'offline-root', 'v1'))) assert.equal(mode(join(dir, 'offline-root', 'v1', p)), 0o600);

    const b = bundleWith(dir, T0 + DAY);
    const onV1 = verifyBundle(b.bytes, { root: rootOf(t), keyListVersion: 1, highestVersion: {} }, { ...CTX, nowMs: T0 + DAY });
    assert.equal(onV1.trust.root.version, 2);
    // A second rotation uses v2's keys, now the current set.
    assert.equal(rotateRoot(dir, { nowMs: T0 + 2 * DAY }).root.version, 3);
    const b3 = bundleWith(dir, T0 + 2 * DAY, 2);
    assert.equal(verifyBundle(b3.bytes, onV1.trust, { ...CTX, nowMs: T0 + 2 * DAY }).trust.root.version, 3);
  });

  test('operations that need the root refuse when fewer than a threshold of its private keys are present', () => {
    const dir = fresh();
    const root = initRoot(dir, { fleet: FLEET, nowMs: T0 });
    for (const k of root.keys.slice(1)) rmSync(join(dir, 'offline-root', `root-key-${k.id}.json`));
    assert.throws(() => newSigningKey(dir, { nowMs: T0 }), refused('EH_BUNDLE_THRESHOLD', /found 1 of root v1's private keys/));
    assert.throws(() => initRoot(dir, { fleet: FLEET, nowMs: T0 }), refused('EH_CONFLICT', /rotate-root/));
  });
});

describe('signing keys in logs', () => {
  test('a SigningKey prints and serialises without its seed', async () => {
    const { inspect } = await import('node:util');
    const t = initDevTrust(fresh(), FLEET, T0);
    const seed = Buffer.from(t.signer.seed).toString('base64');
    assert.equal(JSON.parse(JSON.stringify(t.signer)).seed, '[redacted]');
    assert.equal(JSON.parse(JSON.stringify(t)).signer.keyId, t.signer.keyId);
    for (const text of [JSON.stringify(t), inspect(t, { depth: 10 }), inspect(t.signer)]) {
      assert.ok(!text.includes(seed), text);
      assert.doesNotMatch(text, /Uint8Array|"0":/, 'no raw key bytes');
      assert.match(text, new RegExp(t.signer.keyId));
    }
    assert.equal(t.signer.seed.length, 32, 'the seed itself stays usable');
  });
});
