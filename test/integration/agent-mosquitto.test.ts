/**
 * Agent ↔ external broker (Mosquitto) ↔ hub in external-broker mode. Runs when
 * EDGEHIVE_TEST_MQTT_URL points at a broker that lets the test's clients in (CI sets it);
 * skipped, saying so, otherwise. Fleet and device ids are unique per run, so a shared broker's
 * retained messages from other runs do not interfere.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { HubHandle } from '../../cloud-hub/hub-api.ts';
import { silentLogger } from '../../shared/log/logger.ts';
import { Agent, assertStoredExactly, drained, provisionedConfig, ScriptedSensor, startTestHub, tempDir, waitFor } from './agent-harness.ts';

const URL_ = process.env.EDGEHIVE_TEST_MQTT_URL;
const skip = URL_ ? false : 'EDGEHIVE_TEST_MQTT_URL is not set: set it to a Mosquitto URL (e.g. mqtt://127.0.0.1:1883) to run the agent against an external broker';

describe('agent with the hub on an external broker (Mosquitto)', { skip }, () => {
  const run = randomBytes(4).toString('hex');
  const fleet = `agent-mq-${run}`;
  const tmp = tempDir('eh-agent-mq-');
  const hubDir = join(tmp.dir, 'hub');
  let hub: HubHandle | null = null;
  const agents: Agent[] = [];
  after(async () => {
    for (const a of agents) await a.stop();
    await hub?.close();
    tmp.remove();
  });

  test('readings arrive exactly once, also across a hub restart, and the will reports a crash', async () => {
    hub = await startTestHub({ dataDir: hubDir, fleet, externalUrl: URL_! });
    assert.equal(hub.mqttUrl, URL_);
    const id = `mq-${run}`;
    const config = await provisionedConfig(hub, id, join(tmp.dir, id), { uplink: { reconnectMinMs: 50, reconnectMaxMs: 250, ackTimeoutMs: 1000, batchMaxReadings: 2000, batchMaxBytes: 256 * 1024, maxInFlight: 8, keepaliveS: 30 } });
    const s = new ScriptedSensor('s');
    const a = new Agent(config, { sensors: [s], logger: silentLogger() });
    agents.push(a);
    await a.start();
    await waitFor('connection', () => a.stats().connected);
    s.emit(10_000);
    await drained(a);
    await assertStoredExactly(hub, id, 's', 10_000);
    await waitFor('online', async () => (await hub!.store.getDevice(id))?.online === true);

    // The hub goes away while the broker stays: unacked batches are resent after the ack timeout.
    await hub.close();
    s.emit(3000);
    a.flush();
    await new Promise((r) => setTimeout(r, 300));
    hub = await startTestHub({ dataDir: hubDir, fleet, externalUrl: URL_! });
    await drained(a);
    await assertStoredExactly(hub, id, 's', 13_000);

    await a.crash();
    await waitFor('the will to mark the device offline', async () => (await hub!.store.getDevice(id))?.online === false);
  });
});
