import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalBytes, canonicalJson, parseCanonical } from '../../shared/bundle/index.ts';
import { isEdgehiveError } from '../../shared/errors/index.ts';

const enc = (s: string) => new TextEncoder().encode(s);

describe('canonical JSON', () => {
  test('sorts keys at every depth and writes no whitespace', () => {
    const v = { b: 1, a: { z: [3, { y: true, x: null }], c: 'd' }, A: 'upper before lower' };
    assert.equal(canonicalJson(v), '{"A":"upper before lower","a":{"c":"d","z":[3,{"x":null,"y":true}]},"b":1}');
  });

  test('the same value built in a different key order gives the same bytes', () => {
    const one = { model: 'm', version: 2, targets: [{ profile: 'p', latencyBudgetMs: 5 }] };
    const two = { targets: [{ latencyBudgetMs: 5, profile: 'p' }], version: 2, model: 'm' };
    assert.deepEqual(canonicalBytes(one), canonicalBytes(two));
  });

  test('round-trips through JSON.parse to an equal value', () => {
    const v = { n: [0, -1, 1.5, 1e-7, 12345678901234, 0.1 + 0.2], s: 'tab\t"quote" ünï \u2028', e: {}, a: [] };
    const text = canonicalJson(v);
    assert.deepEqual(JSON.parse(text), v);
    assert.equal(canonicalJson(JSON.parse(text)), text);
  });

  test('writes -0 as 0', () => {
    assert.equal(canonicalJson({ x: -0 }), '{"x":0}');
  });

  test('refuses NaN, Infinity, undefined, bigint and non-plain objects, naming the JSON pointer', () => {
    const bad: Array<[unknown, string]> = [
      [{ a: { b: NaN } }, '/a/b'],
      [{ a: [1, Infinity] }, '/a/1'],
      [{ a: undefined }, '/a'],
      [[undefined], '/0'],
      [{ big: 1n }, '/big'],
      [{ when: new Date(0) }, '/when'],
      [{ raw: new Uint8Array(2) }, '/raw'],
    ];
    for (const [v, path] of bad) {
      assert.throws(() => canonicalJson(v), (e) => isEdgehiveError(e) && e.details?.path === path && e.message.includes(path), `expected refusal at ${path}`);
    }
  });

  test('refuses hostile nesting instead of overflowing the stack', () => {
    let v: unknown = 1;
    for (let i = 0; i < 200; i++) v = [v];
    assert.throws(() => canonicalJson(v), /nested deeper/);
  });
});

describe('parseCanonical', () => {
  test('accepts canonical bytes and returns the value', () => {
    assert.deepEqual(parseCanonical(enc('{"a":[1,2],"b":"x"}'), 'doc'), { a: [1, 2], b: 'x' });
  });

  test('refuses whitespace, unsorted keys, duplicate keys, other number spellings and bad UTF-8', () => {
    const bad = [
      enc('{"a": 1}'),
      enc('{"b":1,"a":2}'),
      enc('{"a":1,"a":2}'),
      enc('{"a":1.0}'),
      enc('{"a":1e2}'),
      enc('{"a":"\\u0041"}'),
      new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]),
      enc('{"a":1'),
    ];
    for (const b of bad) {
      assert.throws(() => parseCanonical(b, 'manifest'), (e) => isEdgehiveError(e, 'EH_BUNDLE_MALFORMED') && e.message.startsWith('manifest'), new TextDecoder().decode(b));
    }
  });
});
