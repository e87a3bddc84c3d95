import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkArtefacts, decodeBundle, generateSigningKey, verifyBundle, verifyOffline, type TrustState } from '../../shared/bundle/index.ts';
import { isEdgehiveError, type ErrorCode } from '../../shared/errors/index.ts';
import { agentTrust, assemble, build, CTX, DAY, FLEET, listFor, makeFleet, PROFILE, T0 } from '../support/bundle-trust-fixtures.ts';

const fleet = makeFleet();

const refused = (code: ErrorCode, text?: RegExp) => (e: unknown) => {
  assert.ok(isEdgehiveError(e), `expected an EdgehiveError, got ${String(e)}`);
  assert.equal(e.code, code, e.message);
  if (text) assert.match(e.message, text);
  return true;
};

describe('verifyBundle accepts', () => {
  test('a bundle built with the fleet\'s keys, and returns the trust state to keep', () => {
    const b = build(fleet, { version: 4 });
    const trust = agentTrust(fleet, { highestVersion: { other: 9 } });
    const before = structuredClone(trust);
    const v = verifyBundle(b.bytes, trust, CTX);
    assert.equal(v.id, b.id);
    assert.equal(v.signedBy, fleet.signer.keyId);
    assert.deepEqual(v.target, { profile: PROFILE, latencyBudgetMs: 20 });
    assert.deepEqual(v.trust, { root: fleet.roots[0]!.body, keyListVersion: 1, highestVersion: { other: 9, 'pump-anomaly': 4 } });
    assert.deepEqual(trust, before, 'the input trust state is not mutated');
  });

  test('one valid signature is enough when another signature is by an unknown key', () => {
    const bytes = assemble(fleet, [generateSigningKey(), fleet.signer]);
    assert.equal(verifyBundle(bytes, agentTrust(fleet), CTX).signedBy, fleet.signer.keyId);
  });

  test('a model id that is also an Object.prototype property', () => {
    const b = build(fleet, { model: '__proto__', version: 1 });
    const v = verifyBundle(b.bytes, agentTrust(fleet), CTX);
    assert.equal(Object.getOwnPropertyDescriptor(v.trust.highestVersion, '__proto__')?.value, 1);
    assert.throws(() => verifyBundle(b.bytes, v.trust, CTX), refused('EH_BUNDLE_REPLAY'));
    assert.doesNotThrow(() => verifyBundle(build(fleet, { model: 'constructor' }).bytes, agentTrust(fleet), CTX));
  });
});

describe('verifyBundle refuses, with the code the agent reports', () => {
  test('unsigned → EH_BUNDLE_SIGNATURE', () => {
    assert.throws(() => verifyBundle(assemble(fleet, []), agentTrust(fleet), CTX), refused('EH_BUNDLE_SIGNATURE', /unsigned/));
  });

  test('signed by a key the list does not name → EH_BUNDLE_KEY_UNKNOWN', () => {
    const stranger = generateSigningKey();
    assert.throws(() => verifyBundle(assemble(fleet, [stranger]), agentTrust(fleet), CTX), refused('EH_BUNDLE_KEY_UNKNOWN', new RegExp(stranger.keyId.slice(0, 8))));
  });

  test('signed by a revoked key → EH_BUNDLE_KEY_REVOKED, saying what to do', () => {
    const keys = listFor(fleet.roots[0]!.body, fleet.rootKeys, 2, [{ key: fleet.signer, expiresMs: T0 + 90 * DAY }], { revoked: [fleet.signer.keyId] });
    const bytes = assemble({ roots: fleet.roots, keys }, [fleet.signer]);
    assert.throws(() => verifyBundle(bytes, agentTrust(fleet), CTX), refused('EH_BUNDLE_KEY_REVOKED', /revoked in signing-key list v2; re-sign it with a current key \(edgehive keys new-signing-key\)/));
  });

  test('signed by an expired key → EH_BUNDLE_KEY_EXPIRED', () => {
    const keys = listFor(fleet.roots[0]!.body, fleet.rootKeys, 1, [{ key: fleet.signer, expiresMs: T0 + DAY / 2 }], { expiresMs: T0 + 10 * DAY });
    assert.throws(() => verifyBundle(assemble({ roots: fleet.roots, keys }, [fleet.signer]), agentTrust(fleet), CTX), refused('EH_BUNDLE_KEY_EXPIRED', /expired/));
  });

  test('a signature that does not verify → EH_BUNDLE_SIGNATURE', () => {
    const parts = decodeBundle(build(fleet).bytes);
    const other = decodeBundle(build(fleet, { version: 2 }).bytes);
    // The version-2 manifest's genuine signature, presented for the version-1 manifest.
    const sig = other.block.signatures[0]!;
    const bytes = assemble(fleet, [fleet.signer]);
    const swapped = Buffer.from(bytes).toString('latin1').replace(parts.block.signatures[0]!.sig, sig.sig);
    assert.throws(() => verifyBundle(new Uint8Array(Buffer.from(swapped, 'latin1')), agentTrust(fleet), CTX), refused('EH_BUNDLE_SIGNATURE', /does not verify/));
  });

  test('a list for another fleet → EH_BUNDLE_TARGET', () => {
    const keys = listFor(fleet.roots[0]!.body, fleet.rootKeys, 1, [{ key: fleet.signer, expiresMs: T0 + 90 * DAY }], { fleet: 'fleet-b' });
    assert.throws(() => verifyBundle(assemble({ roots: fleet.roots, keys }, [fleet.signer]), agentTrust(fleet), CTX), refused('EH_BUNDLE_TARGET', /fleet-b/));
  });

  test('a list signed by only 1 of a 2-of-3 root → EH_BUNDLE_THRESHOLD', () => {
    const keys = listFor(fleet.roots[0]!.body, fleet.rootKeys.slice(0, 1), 1, [{ key: fleet.signer, expiresMs: T0 + 90 * DAY }]);
    assert.throws(() => verifyBundle(assemble({ roots: fleet.roots, keys }, [fleet.signer]), agentTrust(fleet), CTX), refused('EH_BUNDLE_THRESHOLD', /1 valid signature.*needs 2/));
  });

  test('a list signed twice by the same root key still counts one → EH_BUNDLE_THRESHOLD', () => {
    const keys = listFor(fleet.roots[0]!.body, fleet.rootKeys.slice(0, 1), 1, [{ key: fleet.signer, expiresMs: T0 + 90 * DAY }]);
    const doubled = { ...keys, signatures: [keys.signatures[0]!, keys.signatures[0]!] };
    assert.throws(() => verifyBundle(assemble({ roots: fleet.roots, keys: doubled }, [fleet.signer]), agentTrust(fleet), CTX), refused('EH_BUNDLE_THRESHOLD'));
  });

  test('an expired signing-key list → EH_BUNDLE_KEY_EXPIRED', () => {
    const keys = listFor(fleet.roots[0]!.body, fleet.rootKeys, 1, [{ key: fleet.signer, expiresMs: T0 + 90 * DAY }], { expiresMs: T0 + DAY / 2 });
    assert.throws(() => verifyBundle(assemble({ roots: fleet.roots, keys }, [fleet.signer]), agentTrust(fleet), CTX), refused('EH_BUNDLE_KEY_EXPIRED', /signing-key list v1 expired/));
  });

  test('another fleet or another profile → EH_BUNDLE_TARGET', () => {
    const b = build(fleet);
    assert.throws(() => verifyBundle(b.bytes, agentTrust(fleet), { ...CTX, fleet: 'fleet-b' }), refused('EH_BUNDLE_TARGET', /fleet/));
    assert.throws(() => verifyBundle(b.bytes, agentTrust(fleet), { ...CTX, profile: 'jetson' }), refused('EH_BUNDLE_TARGET', /targets profiles rpi4, not jetson/));
  });

  test('an expired manifest → EH_BUNDLE_EXPIRED', () => {
    const b = build(fleet, { expiresMs: T0 + DAY });
    assert.throws(() => verifyBundle(b.bytes, agentTrust(fleet), { ...CTX, nowMs: T0 + DAY }), refused('EH_BUNDLE_EXPIRED'));
  });

  test('an agent older than minAgentVersion → EH_BUNDLE_AGENT_TOO_OLD', () => {
    const b = build(fleet, { minAgentVersion: '0.10.0' });
    assert.throws(() => verifyBundle(b.bytes, agentTrust(fleet), { ...CTX, agentVersion: '0.9.9' }), refused('EH_BUNDLE_AGENT_TOO_OLD', /0\.10\.0/));
    assert.doesNotThrow(() => verifyBundle(b.bytes, agentTrust(fleet), { ...CTX, agentVersion: '0.10.0' }));
  });

  test('a version not above the highest seen for the model → EH_BUNDLE_REPLAY', () => {
    const b = build(fleet, { version: 3 });
    for (const highest of [3, 4]) {
      assert.throws(() => verifyBundle(b.bytes, agentTrust(fleet, { highestVersion: { 'pump-anomaly': highest } }), CTX), refused('EH_BUNDLE_REPLAY', /publish the old model under a new version/));
    }
    assert.doesNotThrow(() => verifyBundle(b.bytes, agentTrust(fleet, { highestVersion: { 'pump-anomaly': 2 } }), CTX));
  });

  test('a fleet whose root the agent does not trust → refused on the list signatures', () => {
    const other = makeFleet();
    assert.throws(() => verifyBundle(build(other).bytes, agentTrust(fleet), CTX), refused('EH_BUNDLE_THRESHOLD'));
  });

  test('checks run in order: a replayed bundle from a revoked key reports the revocation', () => {
    const keys = listFor(fleet.roots[0]!.body, fleet.rootKeys, 2, [], { revoked: [fleet.signer.keyId], expiresMs: T0 + 90 * DAY });
    const bytes = assemble({ roots: fleet.roots, keys }, [fleet.signer]);
    const trust: TrustState = agentTrust(fleet, { highestVersion: { 'pump-anomaly': 5 } });
    assert.throws(() => verifyBundle(bytes, trust, CTX), refused('EH_BUNDLE_KEY_REVOKED'));
  });
});

describe('checkArtefacts and verifyOffline', () => {
  test('checkArtefacts names the artefact whose hash is wrong', () => {
    const parts = decodeBundle(build(fleet).bytes);
    parts.artefacts.set('preprocess.json', new TextEncoder().encode('{"features":["b"]}'));
    assert.throws(() => checkArtefacts(parts), refused('EH_BUNDLE_HASH', /"preprocess\.json"/));
  });

  test('verifyOffline checks trust and expiry, and fleet/profile/agent only when given', () => {
    const b = build(fleet, { version: 7, minAgentVersion: '2.0.0' });
    const v = verifyOffline(b.bytes, fleet.roots[0]!.body, { nowMs: CTX.nowMs });
    assert.equal(v.trust.highestVersion['pump-anomaly'], 7);
    assert.throws(() => verifyOffline(b.bytes, fleet.roots[0]!.body, { nowMs: CTX.nowMs, agentVersion: '1.0.0' }), refused('EH_BUNDLE_AGENT_TOO_OLD'));
    assert.throws(() => verifyOffline(b.bytes, fleet.roots[0]!.body, { nowMs: CTX.nowMs, profile: 'jetson' }), refused('EH_BUNDLE_TARGET'));
    assert.throws(() => verifyOffline(b.bytes, fleet.roots[0]!.body, { nowMs: CTX.nowMs, fleet: 'x' }), refused('EH_BUNDLE_TARGET'));
    assert.throws(() => verifyOffline(b.bytes, fleet.roots[0]!.body, { nowMs: T0 + 31 * DAY }), refused('EH_BUNDLE_EXPIRED'));
    assert.throws(() => verifyOffline(b.bytes, makeFleet(FLEET).roots[0]!.body, { nowMs: CTX.nowMs }), refused('EH_BUNDLE_THRESHOLD'));
  });
});
