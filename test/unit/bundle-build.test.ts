import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildBundle, compareVersions, decodeBundle, generateSigningKey, healthInput, recordHealthCheck, verifyBundle } from '../../shared/bundle/index.ts';
import { isEdgehiveError, type ErrorCode } from '../../shared/errors/index.ts';
import { agentTrust, ARTEFACTS, build, CTX, DAY, listFor, makeFleet, manifestInput, MODEL, T0 } from '../support/bundle-trust-fixtures.ts';

const fleet = makeFleet();

const refused = (code: ErrorCode, text?: RegExp) => (e: unknown) => {
  assert.ok(isEdgehiveError(e), `expected an EdgehiveError, got ${String(e)}`);
  assert.equal(e.code, code, e.message);
  if (text) assert.match(e.message, text);
  return true;
};

describe('buildBundle', () => {
  test('refuses a signer that is not in the key list, so the hub never ships a bundle agents refuse', () => {
    assert.throws(() => build(fleet, {}, { signer: generateSigningKey() }), refused('EH_BUNDLE_KEY_UNKNOWN', /not in signing-key list v1/));
  });

  test('refuses a revoked or expired signer', () => {
    const root = fleet.roots[0]!.body;
    const revoked = listFor(root, fleet.rootKeys, 2, [], { revoked: [fleet.signer.keyId], expiresMs: T0 + 9 * DAY });
    assert.throws(() => build(fleet, {}, { keys: revoked }), refused('EH_BUNDLE_KEY_REVOKED'));
    const expired = listFor(root, fleet.rootKeys, 2, [{ key: fleet.signer, expiresMs: T0 }], { expiresMs: T0 + 9 * DAY });
    assert.throws(() => build(fleet, {}, { keys: expired }), refused('EH_BUNDLE_KEY_EXPIRED'));
  });

  test('refuses a list not signed by the newest root it is given', () => {
    const weak = listFor(fleet.roots[0]!.body, fleet.rootKeys.slice(0, 1), 1, [{ key: fleet.signer, expiresMs: T0 + 90 * DAY }]);
    assert.throws(() => build(fleet, {}, { keys: weak }), refused('EH_BUNDLE_THRESHOLD'));
  });

  test('validates the manifest before signing, naming the field', () => {
    assert.throws(() => build(fleet, { stream: 'not a stream id' }), refused('EH_BUNDLE_MALFORMED', /\/stream/));
    assert.throws(() => build(fleet, { targets: [] }), refused('EH_BUNDLE_MALFORMED', /\/targets/));
    assert.throws(() => build(fleet, { fleet: 'fleet-b' }), refused('EH_BUNDLE_TARGET', /fleet-b/));
    assert.throws(() => buildBundle({ manifest: manifestInput(), artefacts: [ARTEFACTS[1]!], signer: fleet.signer, roots: fleet.roots, keys: fleet.keys }), refused('EH_BUNDLE_MALFORMED', /model\.onnx/));
  });

  test('fills format and artefacts; a rebuild of the same inputs has the same id', () => {
    const a = build(fleet);
    assert.equal(a.manifest.format, 1);
    assert.deepEqual(a.manifest.artefacts.map((x) => x.kind), ['model.onnx', 'preprocess.json']);
    assert.equal(build(fleet).id, a.id);
    assert.notEqual(build(fleet, { version: 2 }).id, a.id);
  });
});

describe('recordHealthCheck', () => {
  test('records ONNX Runtime\'s output for a seeded input in [-1, 1], and the bundle carries it', async () => {
    const check = await recordHealthCheck(MODEL, [2, 4], { tolerance: 1e-4, runs: 3 });
    assert.deepEqual(check.inputDims, [2, 4]);
    assert.equal(check.input.length, 8);
    assert.ok(check.input.every((v) => v >= -1 && v <= 1));
    assert.deepEqual(check.input, Array.from(healthInput([2, 4])));
    const w = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8];
    const b = [0.01, -0.01];
    for (let r = 0; r < 2; r++) {
      for (let o = 0; o < 2; o++) {
        const want = b[o]! + [0, 1, 2, 3].reduce((s, i) => s + check.input[r * 4 + i]! * w[i * 2 + o]!, 0);
        assert.ok(Math.abs(check.output[r * 2 + o]! - want) < 1e-5, `output ${r},${o}: ${check.output[r * 2 + o]} vs ${want}`);
      }
    }
    assert.equal(check.tolerance, 1e-4);
    assert.equal(check.runs, 3);
    const again = await recordHealthCheck(MODEL, [2, 4]);
    assert.deepEqual(again.output, check.output, 'deterministic');
    assert.equal(again.tolerance, 1e-3);
    assert.equal(again.runs, 5);
    const v = verifyBundle(build(fleet, { check }).bytes, agentTrust(fleet), CTX);
    assert.deepEqual(v.manifest.check, check);
    assert.deepEqual(decodeBundle(build(fleet, { check }).bytes).manifest.check.input, Array.from(healthInput([2, 4])));
  });

  test('refuses input dims with more than 65,536 values, and a model that ONNX Runtime cannot load', async () => {
    await assert.rejects(recordHealthCheck(MODEL, [1, 65_537]), refused('EH_BAD_REQUEST', /65536/));
    await assert.rejects(recordHealthCheck(MODEL, [0, 4]), refused('EH_BAD_REQUEST'));
    await assert.rejects(recordHealthCheck(new Uint8Array([1, 2, 3]), [1, 4]), refused('EH_MODEL_INVALID'));
  });
});

describe('compareVersions', () => {
  test('orders x.y.z numerically, pre-releases before their release', () => {
    assert.equal(compareVersions('0.10.0', '0.9.9'), 1);
    assert.equal(compareVersions('1.2.3', '1.2.3'), 0);
    assert.equal(compareVersions('1.2.3', '1.3.0'), -1);
    assert.equal(compareVersions('1.0.0-rc.1', '1.0.0'), -1);
    assert.equal(compareVersions('1.0.0+build', '1.0.0'), 0);
    assert.throws(() => compareVersions('1.0', '1.0.0'), refused('EH_BAD_REQUEST'));
  });
});
