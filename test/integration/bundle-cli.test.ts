/**
 * `edgehive keys` and `edgehive bundle` end to end: real CLI processes in a temp directory, real
 * keys, a real ONNX model run by ONNX Runtime for the health check.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { decodeBundle, verifyOffline } from '../../shared/bundle/index.ts';
import { eye, reconstructionModel } from '../support/tiny-onnx.ts';

const CLI = fileURLToPath(new URL('../../simulators/cli/edgehive.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'eh-bundle-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, EDGEHIVE_FROM_SOURCE: '1' } });
  return { status: r.status, out: r.stdout + r.stderr };
}
function ok(...args: string[]): string {
  const r = run(...args);
  assert.equal(r.status, 0, `edgehive ${args.join(' ')}\n${r.out}`);
  return r.out;
}

const keys = join(dir, 'keys');
const model = join(dir, 'model.onnx');
writeFileSync(model, reconstructionModel(16, 4, eye(4, 0.5), [0, 0, 0, 0]));
const pre = join(dir, 'preprocess.json');
writeFileSync(pre, '{"features":["a","b","c","d"]}\n');

const buildArgs = (version: number, out: string) => [
  'bundle', 'build', '--keys', keys, '--model', model, '--preprocess', pre, '--name', 'pump-anomaly', '--version', String(version),
  '--fleet', 'fleet-a', '--profile', 'rpi4:25', '--profile', 'jetson:5', '--stream', 'vibration', '--task', 'anomaly',
  '--input-dims', '1,16,4', '--out', out,
];

describe('edgehive keys and bundle', () => {
  const x1 = join(dir, 'x1.ehb');

  test('init-root, new-signing-key, build, inspect and verify', () => {
    assert.match(ok('keys', 'init-root', '--dir', keys, '--fleet', 'fleet-a', '--keys', '3', '--threshold', '2'), /root v1 of fleet fleet-a: 2 of 3 keys/);
    const created = ok('keys', 'new-signing-key', '--dir', keys, '--expires-days', '90');
    const keyId = /signing key ([0-9a-f]{16})/.exec(created)![1]!;
    for (const f of ['signing-key.json', ...readdirSync(join(keys, 'offline-root')).filter((n) => n.endsWith('.json')).map((n) => `offline-root/${n}`)]) {
      assert.equal(statSync(join(keys, f)).mode & 0o777, 0o600, f);
      assert.ok(!created.includes(JSON.parse(readFileSync(join(keys, f), 'utf8')).seed), `a private key was printed: ${f}`);
    }

    const built = ok(...buildArgs(1, x1));
    const bytes = new Uint8Array(readFileSync(x1));
    const parts = decodeBundle(bytes);
    assert.match(built, new RegExp(`bundle ${parts.id}`));
    assert.match(built, new RegExp(`${bytes.length} bytes, sha256 ${createHash('sha256').update(bytes).digest('hex')}`));
    assert.deepEqual(parts.manifest.inputs, [{ name: 'x', dims: ['batch', 16, 4], type: 'float32' }]);
    assert.equal(parts.manifest.check.input.length, 64);
    // The model halves its input: the recorded output is ONNX Runtime's, not a copy of the input.
    assert.ok(parts.manifest.check.output.every((v, i) => Math.abs(v - parts.manifest.check.input[i]! / 2) < 1e-6));

    const shown = ok('bundle', 'inspect', x1);
    assert.match(shown, new RegExp(parts.id));
    assert.match(shown, /model pump-anomaly v1/);
    assert.match(shown, /preprocess\.json \(preprocess\.json\) 31 bytes sha256 [0-9a-f]{64}/);
    assert.match(shown, new RegExp(`signed by: ${keyId}`));
    assert.match(shown, /roots v1; signing-key list v1/);

    const v = run('bundle', 'verify', x1, '--root', join(keys, 'roots', 'root-1.json'), '--fleet', 'fleet-a', '--profile', 'rpi4', '--agent-version', '0.1.0');
    assert.equal(v.status, 0, v.out);
    assert.match(v.out, /^valid/);
  });

  test('verify exits 1 with the code for the wrong root, the wrong profile, and a tampered artefact', () => {
    const other = join(dir, 'other-keys');
    ok('keys', 'init-root', '--dir', other, '--fleet', 'fleet-a');
    const wrong = run('bundle', 'verify', x1, '--root', join(other, 'roots', 'root-1.json'));
    assert.equal(wrong.status, 1, wrong.out);
    assert.match(wrong.out, /refused \[EH_BUNDLE_THRESHOLD\]/);

    const profile = run('bundle', 'verify', x1, '--root', join(keys, 'roots', 'root-1.json'), '--profile', 'esp32');
    assert.equal(profile.status, 1);
    assert.match(profile.out, /refused \[EH_BUNDLE_TARGET\]/);

    const tampered = join(dir, 'tampered.ehb');
    const b = readFileSync(x1);
    b[b.length - 3] = b[b.length - 3]! ^ 0x20;
    writeFileSync(tampered, b);
    const hash = run('bundle', 'verify', tampered, '--root', join(keys, 'roots', 'root-1.json'));
    assert.equal(hash.status, 1);
    assert.match(hash.out, /refused \[EH_BUNDLE_HASH\].*"preprocess\.json"/);
  });

  test('revoke stops the hub signing; a new key and a root rotation keep agents on root v1 following', () => {
    const keyId = JSON.parse(readFileSync(join(keys, 'signing-keys.json'), 'utf8')).body.keys[0].id as string;
    assert.match(ok('keys', 'revoke', '--dir', keys, '--key-id', keyId), /create a new one before building bundles/);
    const refused = run(...buildArgs(2, join(dir, 'x2.ehb')));
    assert.equal(refused.status, 1);
    assert.match(refused.out, /EH_BUNDLE_KEY_REVOKED/);

    ok('keys', 'new-signing-key', '--dir', keys);
    assert.match(ok('keys', 'rotate-root', '--dir', keys), /root v2: 2 of 3 keys[\s\S]*re-signed as v4 for root v2/);
    const shown = ok('keys', 'show', '--dir', keys);
    assert.match(shown, /root v1: 2 of 3 keys/);
    assert.match(shown, /root v2: 2 of 3 keys/);
    assert.match(shown, /signing-key list v4 \(signed by root v2\)/);
    assert.match(shown, new RegExp(`revoked: ${keyId}`));

    const x3 = join(dir, 'x3.ehb');
    ok(...buildArgs(3, x3));
    assert.match(ok('bundle', 'inspect', x3), /roots v1, v2; signing-key list v4 \(root v2/);
    assert.match(ok('bundle', 'verify', x3, '--root', join(keys, 'roots', 'root-1.json')), /trusted via root v2 and signing-key list v4/);
    // The library agrees with the CLI.
    const root1 = JSON.parse(readFileSync(join(keys, 'roots', 'root-1.json'), 'utf8')).body;
    assert.equal(verifyOffline(new Uint8Array(readFileSync(x3)), root1, { nowMs: Date.now() }).trust.root.version, 2);
    // The old bundle carries list v1 signed for root v1: an agent that knows root v2 refuses it.
    const old = run('bundle', 'verify', x1, '--root', join(keys, 'roots', 'root-2.json'));
    assert.equal(old.status, 1);
    assert.match(old.out, /EH_BUNDLE_KEY_UNKNOWN/);
  });

  test('bad flags print one line with the code and exit non-zero', () => {
    const r = run('bundle', 'build', '--keys', keys, '--profile', 'rpi4');
    assert.equal(r.status, 1);
    assert.match(r.out, /EH_CONFIG_INVALID/);
    assert.doesNotMatch(r.out, /at .*\.ts:\d+/);
    assert.equal(run('keys', 'frobnicate').status, 2);
    assert.match(ok('bundle', '--help'), /Usage: edgehive bundle/);
  });
});
