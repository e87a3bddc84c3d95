import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAgentConfig } from '../../shared/config/agent-config.ts';

const minimal = { fleet: 'f', deviceId: 'd1', profile: 'rpi4', dataDir: '/tmp/x', hub: { mqttUrl: 'mqtt://127.0.0.1:1883' } };

test('a minimal agent config gets every default filled in', () => {
  const c = parseAgentConfig(minimal);
  assert.equal(c.group, 'default');
  assert.equal(c.buffer.maxBytes, 256 * 1024 * 1024);
  assert.equal(c.uplink.maxInFlight, 8);
  assert.deepEqual(c.sensors, []);
});

test('errors name the bad field and what was expected', () => {
  assert.throws(() => parseAgentConfig({ ...minimal, deviceId: 'bad id' }), (e: Error & { code?: string }) => e.code === 'EH_CONFIG_INVALID' && /\/deviceId/.test(e.message));
  assert.throws(() => parseAgentConfig({ ...minimal, uplink: { maxInFlight: 0 } }), /\/uplink\/maxInFlight/);
  assert.throws(() => parseAgentConfig({ ...minimal, hub: { mqttUrl: 'http://x' } }), /\/hub\/mqttUrl/);
  assert.throws(() => parseAgentConfig({ ...minimal, extra: 1 }), /extra|additional/i);
});
