import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  bundleIdOf, canonicalBytes, decodeBundle, encodeBundle, MAX_MANIFEST_BYTES, sha256Hex, verifyBundle, BUNDLE_MAGIC,
} from '../../shared/bundle/index.ts';
import { isEdgehiveError, type ErrorCode } from '../../shared/errors/index.ts';
import { agentTrust, ARTEFACTS, assemble, build, CTX, makeFleet, MODEL, type TestArtefact } from '../support/bundle-trust-fixtures.ts';

const fleet = makeFleet();
const built = build(fleet);

const refused = (code: ErrorCode, text?: RegExp) => (e: unknown) => {
  assert.ok(isEdgehiveError(e), `expected an EdgehiveError, got ${String(e)}`);
  assert.equal(e.code, code, e.message);
  if (text) assert.match(e.message, text);
  return true;
};

/** Offsets of the parts of a bundle, read from its length fields. */
function layout(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const m = view.getUint32(8);
  const s = view.getUint32(12 + m);
  return { manifestAt: 12, manifestLen: m, blockLenAt: 12 + m, blockAt: 16 + m, blockLen: s, artefactsAt: 16 + m + s };
}

describe('bundle file format', () => {
  test('starts with the magic, and decodes back to the manifest, block and artefacts', () => {
    assert.equal(new TextDecoder().decode(built.bytes.subarray(0, 8)), BUNDLE_MAGIC);
    const parts = decodeBundle(built.bytes);
    assert.equal(parts.id, built.id);
    assert.equal(parts.id, bundleIdOf(parts.manifestBytes));
    assert.deepEqual(parts.manifest, built.manifest);
    assert.deepEqual([...parts.artefacts.keys()], ['model.onnx', 'preprocess.json']);
    assert.ok(Buffer.from(parts.artefacts.get('model.onnx')!).equals(Buffer.from(MODEL)));
    assert.equal(built.sha256, sha256Hex(built.bytes));
    assert.deepEqual(built.manifest.artefacts.map((a) => [a.name, a.bytes, a.sha256]), ARTEFACTS.map((a) => [a.name, a.data.length, sha256Hex(a.data)]));
  });

  test('the bundle id is the sha256 of the canonical manifest', () => {
    assert.equal(built.id, sha256Hex(canonicalBytes(built.manifest)));
  });

  test('refuses bad magic', () => {
    const b = built.bytes.slice();
    b[0] = 0x58;
    assert.throws(() => decodeBundle(b), refused('EH_BUNDLE_MALFORMED', /EHBUNDL1/));
  });

  test('refuses a bundle truncated anywhere', () => {
    const { manifestAt, blockAt, artefactsAt } = layout(built.bytes);
    for (const cut of [0, 5, 10, manifestAt + 3, blockAt - 2, blockAt + 10, artefactsAt + 1, built.bytes.length - 1]) {
      assert.throws(() => decodeBundle(built.bytes.subarray(0, cut)), refused('EH_BUNDLE_MALFORMED', /truncated/), `cut at ${cut}`);
    }
  });

  test('refuses extra bytes after the last artefact', () => {
    const b = new Uint8Array(built.bytes.length + 1);
    b.set(built.bytes);
    assert.throws(() => decodeBundle(b), refused('EH_BUNDLE_MALFORMED', /1 bytes after its last artefact/));
  });

  test('refuses a length field past the size cap without allocating it', () => {
    const b = built.bytes.slice();
    new DataView(b.buffer).setUint32(8, 0xffffffff);
    assert.throws(() => decodeBundle(b), refused('EH_BUNDLE_MALFORMED', /over the/));
    const c = built.bytes.slice();
    new DataView(c.buffer).setUint32(8, MAX_MANIFEST_BYTES + 1);
    assert.throws(() => decodeBundle(c), refused('EH_BUNDLE_MALFORMED', /limit/));
    const { blockLenAt } = layout(built.bytes);
    const d = built.bytes.slice();
    new DataView(d.buffer).setUint32(blockLenAt, 0x7fffffff);
    assert.throws(() => decodeBundle(d), refused('EH_BUNDLE_MALFORMED', /signature block length/));
  });

  test('refuses a manifest that is JSON but not canonical', () => {
    const manifest = JSON.parse(new TextDecoder().decode(decodeBundle(built.bytes).manifestBytes));
    const pretty = new TextEncoder().encode(JSON.stringify(manifest, null, 1));
    const bytes = encodeBundle(pretty, decodeBundle(built.bytes).block, ARTEFACTS.map((a) => a.data));
    assert.throws(() => decodeBundle(bytes), refused('EH_BUNDLE_MALFORMED', /not canonical/));
  });

  test('refuses a manifest that breaks its schema, naming the field', () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ version: 0 }, /\/version/],
      [{ targets: [{ profile: 'bad profile!', latencyBudgetMs: 1 }] }, /\/targets\/0\/profile/],
      [{ format: 2 }, /\/format/],
      [{ extra: true }, /\/extra/],
      [{ minAgentVersion: 'one' }, /\/minAgentVersion/],
    ];
    for (const [change, field] of cases) {
      const bytes = assemble(fleet, [fleet.signer], { manifest: change as never });
      assert.throws(() => decodeBundle(bytes), refused('EH_BUNDLE_MALFORMED', field));
    }
  });

  test('refuses duplicate artefact names and anything but exactly one model', () => {
    const model: TestArtefact = { name: 'model.onnx', kind: 'model.onnx', data: MODEL };
    const card: TestArtefact = { name: 'card.md', kind: 'model-card.md', data: new Uint8Array([35, 32, 109]) };
    assert.throws(() => decodeBundle(assemble(fleet, [fleet.signer], { artefacts: [model, { ...card, name: 'model.onnx' }] })), refused('EH_BUNDLE_MALFORMED', /used twice/));
    assert.throws(() => decodeBundle(assemble(fleet, [fleet.signer], { artefacts: [card] })), refused('EH_BUNDLE_MALFORMED', /0 artefacts of kind model.onnx/));
    assert.throws(() => decodeBundle(assemble(fleet, [fleet.signer], { artefacts: [model, { ...model, name: 'second.onnx' }] })), refused('EH_BUNDLE_MALFORMED', /2 artefacts of kind model.onnx/));
  });

  test('refuses a signature block that breaks its schema', () => {
    const parts = decodeBundle(built.bytes);
    const block = { ...parts.block, signatures: [{ keyId: 'nothex', sig: 'x' }] };
    const bytes = encodeBundle(parts.manifestBytes, block as never, ARTEFACTS.map((a) => a.data));
    assert.throws(() => decodeBundle(bytes), refused('EH_BUNDLE_MALFORMED', /signature block.*\/signatures\/0\/keyId/));
  });
});

describe('tampering', () => {
  test('one byte changed in an artefact → EH_BUNDLE_HASH naming the artefact', () => {
    const { artefactsAt } = layout(built.bytes);
    for (const [at, name] of [[artefactsAt + 20, 'model.onnx'], [built.bytes.length - 2, 'preprocess.json']] as const) {
      const b = built.bytes.slice();
      b[at] = b[at]! ^ 0x01;
      assert.throws(() => verifyBundle(b, agentTrust(fleet), CTX), refused('EH_BUNDLE_HASH', new RegExp(`"${name.replace('.', '\\.')}"`)));
    }
  });

  test('one byte changed in the manifest → EH_BUNDLE_SIGNATURE, or MALFORMED when it breaks the JSON', () => {
    const parts = decodeBundle(built.bytes);
    const text = new TextDecoder().decode(parts.manifestBytes);
    const { manifestAt } = layout(built.bytes);
    // "pump-anomaly" → "pump-anomalz": still canonical and schema-valid, so only the signature catches it.
    const b = built.bytes.slice();
    b[manifestAt + text.indexOf('pump-anomaly') + 11] = 'z'.charCodeAt(0);
    assert.throws(() => verifyBundle(b, agentTrust(fleet), CTX), refused('EH_BUNDLE_SIGNATURE', /changed after signing/));
    const c = built.bytes.slice();
    c[manifestAt] = ' '.charCodeAt(0);
    assert.throws(() => verifyBundle(c, agentTrust(fleet), CTX), refused('EH_BUNDLE_MALFORMED'));
  });
});
