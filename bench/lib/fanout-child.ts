/**
 * bench:fanout's agents, in a process of their own (bench/fanout.ts forks several): each a real
 * Agent with its own identity, SQLite buffer, bundle slots and MQTT connection, no sensors.
 *
 * Messages from the parent: {type: 'load', configs}, {type: 'go'}, {type: 'poll', bundleId},
 * {type: 'stop'}. To the parent: {type: 'loaded'}, {type: 'started'}, {type: 'state', ...},
 * {type: 'stopped'}, {type: 'error', message}.
 */
import { Agent } from '../../edge-agent/agent.ts';
import { parseAgentConfig } from '../../shared/config/agent-config.ts';
import { silentLogger } from './util.ts';

export interface FanoutChildState {
  connected: number;
  /** Agents whose active bundle is the one asked about. */
  active: number;
  /** Agents that refused or failed it, with one example reason. */
  failed: number;
  example: string | null;
  rssBytes: number;
  cpuUs: number;
}

export type ToFanoutChild = { type: 'load'; configs: unknown[] } | { type: 'go' } | { type: 'poll'; bundleId: string } | { type: 'stop' };
export type FromFanoutChild = { type: 'loaded' } | { type: 'started' } | ({ type: 'state' } & FanoutChildState) | { type: 'stopped' } | { type: 'error'; message: string };

const send = (m: FromFanoutChild): void => { process.send?.(m); };
let agents: Agent[] = [];

function state(bundleId: string): FanoutChildState {
  let connected = 0;
  let active = 0;
  let failed = 0;
  let example: string | null = null;
  for (const a of agents) {
    if (a.stats().connected) connected += 1;
    const b = a.bundleState();
    if (b.active?.bundleId === bundleId) active += 1;
    else if (b.lastError?.bundleId === bundleId) {
      failed += 1;
      example ??= `${a.deviceId}: ${b.lastError.code} ${b.lastError.message}`;
    }
  }
  const cpu = process.cpuUsage();
  return { connected, active, failed, example, rssBytes: process.memoryUsage.rss(), cpuUs: cpu.user + cpu.system };
}

process.on('message', (m: ToFanoutChild) => {
  void (async () => {
    try {
      if (m.type === 'load') {
        const logger = silentLogger();
        agents = m.configs.map((c, i) => new Agent(parseAgentConfig(c, `agent config ${i}`), { logger, sensors: [] }));
        send({ type: 'loaded' });
      } else if (m.type === 'go') {
        await Promise.all(agents.map((a) => a.start()));
        send({ type: 'started' });
      } else if (m.type === 'poll') {
        send({ type: 'state', ...state(m.bundleId) });
      } else if (m.type === 'stop') {
        await Promise.allSettled(agents.map((a) => a.stop()));
        send({ type: 'stopped' });
        process.disconnect();
      }
    } catch (e) {
      send({ type: 'error', message: (e as Error).stack ?? String(e) });
    }
  })();
});
