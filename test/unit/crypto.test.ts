import assert from 'node:assert/strict';
import { mkdtempSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ed25519, generateKeyPair, nodeBackend, tweetnaclBackend } from '../../shared/crypto/ed25519.ts';
import { loadOrCreateKeyFile, readKeyFile } from '../../shared/crypto/key-file.ts';
import { AUTH_WINDOW_MS, makeMqttPassword, verifyMqttPassword } from '../../shared/crypto/mqtt-auth.ts';

const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));

// RFC 8032 section 7.1, tests 1 and 2.
const vectors = [
  {
    seed: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    pub: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    msg: '',
    sig: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    seed: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    pub: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    msg: '72',
    sig: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
];

describe('ed25519 backends', () => {
  for (const backend of [nodeBackend, tweetnaclBackend]) {
    test(`${backend.name} reproduces the RFC 8032 test vectors`, () => {
      for (const v of vectors) {
        assert.equal(Buffer.from(backend.publicKeyFromSeed(hex(v.seed))).toString('hex'), v.pub);
        assert.equal(Buffer.from(backend.sign(hex(v.seed), hex(v.msg))).toString('hex'), v.sig);
        assert.ok(backend.verify(hex(v.pub), hex(v.msg), hex(v.sig)));
      }
    });
  }

  test('node:crypto and tweetnacl agree on random keys and messages, both ways', () => {
    for (let i = 0; i < 20; i++) {
      const kp = generateKeyPair();
      const msg = new Uint8Array(Buffer.from(`message ${i} ${Math.random()}`));
      const a = nodeBackend.sign(kp.seed, msg);
      const b = tweetnaclBackend.sign(kp.seed, msg);
      assert.deepEqual(a, b);
      assert.ok(tweetnaclBackend.verify(kp.publicKey, msg, a));
      assert.ok(nodeBackend.verify(kp.publicKey, msg, b));
    }
  });

  test('a tampered message, signature or key does not verify, and garbage keys do not throw', () => {
    const kp = generateKeyPair();
    const msg = new Uint8Array([1, 2, 3]);
    const sig = ed25519.sign(kp.seed, msg);
    assert.ok(!ed25519.verify(kp.publicKey, new Uint8Array([1, 2, 4]), sig));
    const bad = sig.slice(); bad[0]! ^= 1;
    assert.ok(!ed25519.verify(kp.publicKey, msg, bad));
    assert.ok(!ed25519.verify(generateKeyPair().publicKey, msg, sig));
    assert.ok(!ed25519.verify(new Uint8Array(31), msg, sig));
    assert.ok(!ed25519.verify(new Uint8Array(32).fill(255), msg, sig));
  });

  test('the fast path is node:crypto where it exists', () => {
    assert.equal(ed25519.name, 'node');
  });
});

describe('device authentication to the broker', () => {
  const kp = generateKeyPair();
  const t0 = Date.UTC(2026, 10, 22);

  test('a fresh password verifies and returns its timestamp', () => {
    assert.equal(verifyMqttPassword('f', 'd1', kp.publicKey, makeMqttPassword('f', 'd1', kp.seed, t0), t0 + 1000), t0);
  });

  test('refuses another device, another fleet, another key, a stale or replayed timestamp, and garbage', () => {
    const pw = makeMqttPassword('f', 'd1', kp.seed, t0);
    assert.throws(() => verifyMqttPassword('f', 'd2', kp.publicKey, pw, t0), { code: 'EH_AUTH_BAD_SIGNATURE' });
    assert.throws(() => verifyMqttPassword('g', 'd1', kp.publicKey, pw, t0), { code: 'EH_AUTH_BAD_SIGNATURE' });
    assert.throws(() => verifyMqttPassword('f', 'd1', generateKeyPair().publicKey, pw, t0), { code: 'EH_AUTH_BAD_SIGNATURE' });
    assert.throws(() => verifyMqttPassword('f', 'd1', kp.publicKey, pw, t0 + AUTH_WINDOW_MS + 1), { code: 'EH_AUTH_STALE' });
    assert.throws(() => verifyMqttPassword('f', 'd1', kp.publicKey, pw, t0, t0), { code: 'EH_AUTH_STALE' });
    assert.throws(() => verifyMqttPassword('f', 'd1', kp.publicKey, 'hunter2', t0), { code: 'EH_AUTH_MALFORMED' });
  });
});

describe('identity key files', () => {
  test('created once with mode 0600, then loaded unchanged', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eh-key-'));
    const path = join(dir, 'sub', 'identity.key');
    const first = loadOrCreateKeyFile(path);
    assert.equal(first.created, true);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const second = loadOrCreateKeyFile(path);
    assert.equal(second.created, false);
    assert.deepEqual(second.keys.publicKey, first.keys.publicKey);
  });

  test('refuses a key file others can read, and a corrupt one, saying what to do', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eh-key-'));
    const path = join(dir, 'identity.key');
    loadOrCreateKeyFile(path);
    chmodSync(path, 0o644);
    assert.throws(() => readKeyFile(path), /chmod 600/);
    writeFileSync(path, 'not json', { mode: 0o600 });
    assert.throws(() => readKeyFile(path), { code: 'EH_KEY_INVALID' });
  });
});
