import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { deviceMayPublish, deviceMaySubscribe, parseTopic, topicsFor } from '../../shared/protocol/index.ts';

describe('topics', () => {
  const t = topicsFor('plant-7');

  test('builders and the parser agree for every topic kind', () => {
    for (const kind of ['status', 'telemetry', 'events', 'drift', 'reported', 'fl', 'desired', 'ack'] as const) {
      assert.deepEqual(parseTopic(t.device('pump-01', kind)), { kind: 'device', fleet: 'plant-7', device: 'pump-01', topic: kind });
    }
    assert.deepEqual(parseTopic(t.bundleChunk('b_1', 12)), { kind: 'bundle-chunk', fleet: 'plant-7', bundleId: 'b_1', chunk: 12 });
    assert.deepEqual(parseTopic(t.flRound('r-9')), { kind: 'fl-round', fleet: 'plant-7', round: 'r-9' });
    assert.equal(t.allDevices('telemetry'), 'edgehive/v1/plant-7/d/+/telemetry');
  });

  test('builders refuse ids that would escape their level', () => {
    assert.throws(() => t.device('a/b', 'status'), { code: 'EH_ID_INVALID' });
    assert.throws(() => t.device('+', 'status'), { code: 'EH_ID_INVALID' });
    assert.throws(() => topicsFor('#'), { code: 'EH_ID_INVALID' });
    assert.throws(() => t.bundleChunk('b', -1), { code: 'EH_TOPIC_INVALID' });
  });

  test('the parser names what is wrong', () => {
    const bad = [
      'edgehive/v2/f/d/x/status', 'other/v1/f/d/x/status', 'edgehive/v1/f/d/x/unknown',
      'edgehive/v1/f/d/x/status/extra', 'edgehive/v1/f/bundles/b/01', 'edgehive/v1/f/bundles/b/-1',
      'edgehive/v1/f/d/a b/status', 'edgehive/v1/f/fl', '',
    ];
    for (const topic of bad) assert.throws(() => parseTopic(topic), { code: 'EH_TOPIC_INVALID' }, topic);
  });
});

describe('acl', () => {
  const t = topicsFor('f1');

  test('a device publishes only its own uplink topics', () => {
    assert.ok(deviceMayPublish('f1', 'd1', t.device('d1', 'telemetry')));
    assert.ok(deviceMayPublish('f1', 'd1', t.device('d1', 'status')));
    assert.ok(!deviceMayPublish('f1', 'd1', t.device('d2', 'telemetry')), 'another device');
    assert.ok(!deviceMayPublish('f1', 'd1', t.device('d1', 'ack')), 'a downlink topic');
    assert.ok(!deviceMayPublish('f1', 'd1', t.device('d1', 'desired')), 'its own desired state');
    assert.ok(!deviceMayPublish('f1', 'd1', t.bundleChunk('b', 0)), 'a bundle');
    assert.ok(!deviceMayPublish('f1', 'd1', topicsFor('f2').device('d1', 'telemetry')), 'another fleet');
    assert.ok(!deviceMayPublish('f1', 'd1', '$SYS/x'));
  });

  test('an agent subscribes to no fleet-wide bundle wildcard on connect', () => {
    const subs = t.agentSubscriptions('d1');
    assert.deepEqual(subs, [t.device('d1', 'desired'), t.device('d1', 'ack'), `${t.root}/fl/#`]);
    assert.ok(!subs.some((f) => f.includes('/bundles/')), 'chunks are subscribed one by one, never all at once');
  });

  test('a device may read the chunks of one named bundle, never all bundles', () => {
    assert.ok(deviceMaySubscribe('f1', 'd1', t.bundleChunk('b1', 0)));
    assert.ok(deviceMaySubscribe('f1', 'd1', t.bundleChunk('b1', 4711)));
    assert.ok(deviceMaySubscribe('f1', 'd1', t.bundleChunks('b1')));
    assert.ok(!deviceMaySubscribe('f1', 'd1', `${t.root}/bundles/#`), 'every bundle');
    assert.ok(!deviceMaySubscribe('f1', 'd1', `${t.root}/bundles/+/0`), 'chunk 0 of every bundle');
    assert.ok(!deviceMaySubscribe('f1', 'd1', `${t.root}/bundles/b1/#`));
    assert.ok(!deviceMaySubscribe('f1', 'd1', `${t.root}/bundles/b1/01`), 'not a chunk index');
    assert.ok(!deviceMaySubscribe('f1', 'd1', `${t.root}/bundles/b1/0/x`));
    assert.ok(!deviceMaySubscribe('f1', 'd1', topicsFor('f2').bundleChunk('b1', 0)), 'another fleet');
  });

  test('a device reads only its desired/ack, bundles and rounds', () => {
    for (const f of t.agentSubscriptions('d1')) assert.ok(deviceMaySubscribe('f1', 'd1', f), f);
    assert.ok(deviceMaySubscribe('f1', 'd1', `${t.root}/bundles/b1/+`));
    assert.ok(deviceMaySubscribe('f1', 'd1', t.flRound('r1')));
    assert.ok(!deviceMaySubscribe('f1', 'd1', t.device('d2', 'ack')));
    assert.ok(!deviceMaySubscribe('f1', 'd1', `${t.root}/d/+/telemetry`));
    assert.ok(!deviceMaySubscribe('f1', 'd1', '#'));
    assert.ok(!deviceMaySubscribe('f1', 'd1', `${t.root}/#`));
    assert.ok(!deviceMaySubscribe('f1', 'd1', `${t.root}/bundles/#/x`));
  });
});
