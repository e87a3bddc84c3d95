/**
 * The agent over mqtts:// to the hub's embedded TLS listener, trusting the hub's self-signed
 * certificate through hub.caFile. The certificate is made by openssl at test time; without
 * openssl the test is skipped, saying so.
 */
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { HubHandle } from '../../cloud-hub/hub-api.ts';
import { silentLogger } from '../../shared/log/logger.ts';
import { Agent, assertStoredExactly, drained, freePort, provisionedConfig, ScriptedSensor, startTestHub, tempDir } from './agent-harness.ts';
import { hasOpenssl, makeTestCertificate } from '../support/net.ts';


const tmp = tempDir('eh-agent-tls-');
let hub: HubHandle | null = null;
let agent: Agent | null = null;
after(async () => {
  await agent?.stop();
  await hub?.close();
  tmp.remove();
});

test('an agent trusting the hub certificate sends its readings over mqtts://', { skip: !hasOpenssl() && 'openssl is not installed: cannot make a test certificate' }, async () => {
  const { certFile, keyFile } = makeTestCertificate(tmp.dir);
  const tlsPort = await freePort();
  hub = await startTestHub({ dataDir: join(tmp.dir, 'hub'), fleet: 'agent-tls', tls: { certFile, keyFile, port: tlsPort } });
  const config = await provisionedConfig(hub, 'dev-tls', join(tmp.dir, 'dev-tls'));
  config.hub = { mqttUrl: `mqtts://127.0.0.1:${tlsPort}`, caFile: certFile, rejectUnauthorized: true };
  const s = new ScriptedSensor('s');
  agent = new Agent(config, { sensors: [s], logger: silentLogger() });
  await agent.start();
  s.emit(3000);
  await drained(agent);
  await assertStoredExactly(hub, 'dev-tls', 's', 3000);
});
