/**
 * A real Agent in its own process, for the SIGKILL tests: it reads its config from the file
 * EDGEHIVE_TEST_AGENT_CONFIG, feeds its model readings, and kills itself with SIGKILL at the
 * install step the TEST names (these variables belong to the test, not to the product):
 *   EDGEHIVE_TEST_KILL_AT      download | verify | write | swap | health
 *   EDGEHIVE_TEST_KILL_BUNDLE  only while installing this bundle id
 *   EDGEHIVE_TEST_KILL_AFTER   download: once this many chunks are stored (default 1)
 * SIGTERM stops it gracefully.
 */
import { readFileSync } from 'node:fs';
import { Agent } from '../../edge-agent/agent.ts';
import { parseAgentConfig } from '../../shared/config/agent-config.ts';
import { silentLogger } from '../../shared/log/logger.ts';
import { DrivenSensor } from './bundle-device.ts';

const config = parseAgentConfig(JSON.parse(readFileSync(process.env.EDGEHIVE_TEST_AGENT_CONFIG ?? '', 'utf8')) as unknown);
const killAt = process.env.EDGEHIVE_TEST_KILL_AT ?? '';
const killBundle = process.env.EDGEHIVE_TEST_KILL_BUNDLE ?? '';
const killAfter = Number(process.env.EDGEHIVE_TEST_KILL_AFTER ?? 1);

const sensor = new DrivenSensor();
const agent = new Agent(config, {
  logger: silentLogger(),
  sensors: [sensor],
  bundleSteps: (step, detail) => {
    if (step !== killAt || (killBundle !== '' && detail.bundleId !== killBundle)) return;
    if (step === 'download' && (detail.have ?? 0) < killAfter) return;
    process.kill(process.pid, 'SIGKILL');
  },
});
await agent.start();
const feed = setInterval(() => sensor.emit(4), 50);
process.once('SIGTERM', () => {
  clearInterval(feed);
  void agent.stop().then(() => process.exit(0));
});
