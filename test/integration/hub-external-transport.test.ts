import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import mqtt from 'mqtt';
import { ExternalTransport } from '../../cloud-hub/ingest/external-transport.ts';
import { silentLogger } from '../../shared/log/logger.ts';

const url = process.env.EDGEHIVE_TEST_MQTT_URL;

test('the external transport forgets each message once handled, and closes promptly', { skip: !url && 'EDGEHIVE_TEST_MQTT_URL not set; external broker transport not tested' }, async () => {
  const fleet = `xt-${randomBytes(4).toString('hex')}`;
  const t = new ExternalTransport({ mode: 'external', url: url! }, fleet, silentLogger());
  let handled = 0;
  await t.start([`edgehive/v1/${fleet}/d/+/telemetry`], () => new Promise<void>((r) => setTimeout(() => { handled += 1; r(); }, 1)));
  const pub = await mqtt.connectAsync(url!);
  try {
    for (let i = 0; i < 200; i++) await pub.publishAsync(`edgehive/v1/${fleet}/d/dev/telemetry`, Buffer.from([i]), { qos: 1 });
    const deadline = Date.now() + 10_000;
    while (handled < 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(handled, 200);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(t.pendingMessages, 0, 'no handled message is still held (memory would grow with every message)');
  } finally {
    await pub.endAsync();
    const started = Date.now();
    await t.close(2000);
    assert.ok(Date.now() - started < 3000, 'close() is bounded');
  }
});
