import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { advanceRoot, checkKeyList, generateSigningKey, makeRoot, signRoot, verifyBundle } from '../../shared/bundle/index.ts';
import { isEdgehiveError, type ErrorCode } from '../../shared/errors/index.ts';
import { agentTrust, assemble, build, CTX, DAY, listFor, makeFleet, rotate, T0 } from '../support/bundle-trust-fixtures.ts';

const refused = (code: ErrorCode, text?: RegExp) => (e: unknown) => {
  assert.ok(isEdgehiveError(e), `expected an EdgehiveError, got ${String(e)}`);
  assert.equal(e.code, code, e.message);
  if (text) assert.match(e.message, text);
  return true;
};

describe('signing-key rotation and revocation', () => {
  test('a new key in list v2 is accepted by an agent at v1; list v1 is refused afterwards', () => {
    const f = makeFleet();
    const root = f.roots[0]!.body;
    const v1 = verifyBundle(build(f, { version: 1 }).bytes, agentTrust(f), CTX);
    assert.equal(v1.trust.keyListVersion, 1);

    const newKey = generateSigningKey();
    const list2 = listFor(root, f.rootKeys.slice(1), 2, [{ key: f.signer, expiresMs: T0 + 90 * DAY }, { key: newKey, expiresMs: T0 + 90 * DAY }]);
    const v2 = verifyBundle(build({ ...f, signer: newKey, keys: list2 }, { version: 2 }).bytes, v1.trust, CTX);
    assert.equal(v2.signedBy, newKey.keyId);
    assert.equal(v2.trust.keyListVersion, 2);

    // A newer model version, but it carries the superseded list v1: refused, so a revocation in v2 cannot be undone.
    assert.throws(() => verifyBundle(build(f, { version: 3 }).bytes, v2.trust, CTX), refused('EH_BUNDLE_TRUST_STALE', /older than v2/));
  });

  test('revocation: the revoked key is refused, and the list before the revocation is refused once v3 was seen', () => {
    const f = makeFleet();
    const root = f.roots[0]!.body;
    const good = generateSigningKey();
    const list2 = listFor(root, f.rootKeys, 2, [{ key: f.signer, expiresMs: T0 + 90 * DAY }, { key: good, expiresMs: T0 + 90 * DAY }]);
    const list3 = listFor(root, f.rootKeys, 3, [{ key: good, expiresMs: T0 + 90 * DAY }], { revoked: [f.signer.keyId] });
    const byGood = verifyBundle(build({ ...f, signer: good, keys: list3 }, { version: 5 }).bytes, agentTrust(f), CTX);
    assert.equal(byGood.trust.keyListVersion, 3);
    assert.throws(() => verifyBundle(assemble({ roots: f.roots, keys: list3 }, [f.signer], { manifest: { version: 6 } }), byGood.trust, CTX), refused('EH_BUNDLE_KEY_REVOKED'));
    assert.throws(() => verifyBundle(build({ ...f, keys: list2 }, { version: 6 }).bytes, byGood.trust, CTX), refused('EH_BUNDLE_TRUST_STALE'));
  });
});

describe('root rotation', () => {
  const f = makeFleet();
  const r1 = f.roots[0]!.body;
  const { keys: r2keys, signed: r2 } = rotate(r1, f.rootKeys.slice(0, 2));
  const list = listFor(r2.body, r2keys.slice(0, 2), 2, [{ key: f.signer, expiresMs: T0 + 90 * DAY }]);

  test('an agent provisioned with root v1 accepts a bundle whose chain has root v2 and a list signed by v2', () => {
    const v = verifyBundle(build({ ...f, roots: [f.roots[0]!, r2], keys: list }).bytes, agentTrust(f), CTX);
    assert.deepEqual(v.trust.root, r2.body);
    // An agent already at v2 skips the v1 in the chain.
    assert.doesNotThrow(() => verifyBundle(build({ ...f, roots: [f.roots[0]!, r2], keys: list }, { version: 2 }).bytes, v.trust, CTX));
    // Once at v2, a list signed for root v1 is refused: lists must be signed by the newest root.
    assert.throws(() => verifyBundle(build(f, { version: 3 }).bytes, { ...v.trust, keyListVersion: 0 }, CTX), refused('EH_BUNDLE_KEY_UNKNOWN', /signed for root v1 but the newest trusted root is v2/));
  });

  test('a list signed by the old root after a rotation in the same chain → EH_BUNDLE_KEY_UNKNOWN', () => {
    assert.throws(() => checkKeyList(r2.body, f.keys, CTX.nowMs, 0), refused('EH_BUNDLE_KEY_UNKNOWN'));
  });

  test('root v2 signed by fewer than the threshold of v1 → EH_BUNDLE_THRESHOLD', () => {
    const weak = rotate(r1, f.rootKeys.slice(0, 1));
    assert.throws(() => advanceRoot(r1, [weak.signed]), refused('EH_BUNDLE_THRESHOLD', /1 valid signature\(s\) by keys of root v1, which needs 2/));
    const l = listFor(weak.signed.body, weak.keys, 2, [{ key: f.signer, expiresMs: T0 + 90 * DAY }]);
    assert.throws(() => verifyBundle(build({ ...f, roots: [f.roots[0]!, weak.signed], keys: l }).bytes, agentTrust(f), CTX), refused('EH_BUNDLE_THRESHOLD'));
  });

  test('root v2 signed by v1 but by fewer than its own threshold → EH_BUNDLE_THRESHOLD', () => {
    const half = rotate(r1, f.rootKeys, { ownSigners: 1 });
    assert.throws(() => advanceRoot(r1, [half.signed]), refused('EH_BUNDLE_THRESHOLD', /by its own keys/));
  });

  test('a gap in root versions → EH_BUNDLE_TRUST_STALE', () => {
    const r3 = rotate(r2.body, r2keys);
    assert.equal(advanceRoot(r1, [r2, r3.signed]).version, 3);
    assert.throws(() => advanceRoot(r1, [r3.signed]), refused('EH_BUNDLE_TRUST_STALE', /jumps from root v1 to v3/));
  });

  test('a root for another fleet → EH_BUNDLE_TARGET', () => {
    const keys = [generateSigningKey(), generateSigningKey()];
    const body = makeRoot({ fleet: 'fleet-b', version: 2, threshold: 1, publicKeys: keys.map((k) => k.publicKey), createdMs: T0 });
    assert.throws(() => advanceRoot(r1, [signRoot(body, [...f.rootKeys, ...keys])]), refused('EH_BUNDLE_TARGET'));
  });

  test('a root entry whose id is not its key\'s id → EH_BUNDLE_MALFORMED', () => {
    const bad = rotate(r1, f.rootKeys);
    const body = { ...bad.signed.body, keys: bad.signed.body.keys.map((k, i) => (i === 0 ? { ...k, id: '0000000000000000' } : k)) };
    assert.throws(() => advanceRoot(r1, [{ ...bad.signed, body }]), refused('EH_BUNDLE_MALFORMED', /not the id of its public key/));
  });

  test('makeRoot refuses an impossible threshold and duplicate keys', () => {
    const k = generateSigningKey();
    assert.throws(() => makeRoot({ fleet: 'f', version: 1, threshold: 3, publicKeys: [k.publicKey, generateSigningKey().publicKey], createdMs: T0 }), refused('EH_CONFIG_INVALID', /threshold/));
    assert.throws(() => makeRoot({ fleet: 'f', version: 1, threshold: 1, publicKeys: [k.publicKey, k.publicKey], createdMs: T0 }), refused('EH_CONFIG_INVALID', /twice/));
  });
});
