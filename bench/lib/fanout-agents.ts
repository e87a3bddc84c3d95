/**
 * bench:fanout's agents spread over child processes (lib/fanout-child.ts): real agents, each
 * with its own identity, SQLite buffer, bundle slots and MQTT connection.
 */
import { fileURLToPath } from 'node:url';
import type { AgentConfig } from '../../shared/config/agent-config.ts';
import { forkChildRpc } from './child-rpc.ts';
import type { FanoutChildState, FromFanoutChild, ToFanoutChild } from './fanout-child.ts';

const CHILD_SCRIPT = fileURLToPath(new URL('./fanout-child.ts', import.meta.url));

export interface FanoutAgents {
  start(): Promise<void>;
  /** Summed over the children. */
  state(bundleId: string): Promise<FanoutChildState>;
  stop(): Promise<void>;
}

export async function spawnFanoutAgents(configs: readonly AgentConfig[], processes: number): Promise<FanoutAgents> {
  const n = Math.max(1, Math.min(processes, configs.length));
  const children = Array.from({ length: n }, () => forkChildRpc<ToFanoutChild, FromFanoutChild>(CHILD_SCRIPT, 'fan-out agents child'));
  await Promise.all(children.map((c, i) => c.ask({ type: 'load', configs: configs.filter((_, j) => j % n === i) }, 'loaded')));
  return {
    start: async () => { await Promise.all(children.map((c) => c.ask({ type: 'go' }, 'started'))); },
    state: async (bundleId) => {
      const all = await Promise.all(children.map((c) => c.ask({ type: 'poll', bundleId }, 'state')));
      return all.reduce<FanoutChildState>((s, x) => ({
        connected: s.connected + x.connected,
        active: s.active + x.active,
        failed: s.failed + x.failed,
        example: s.example ?? x.example,
        rssBytes: s.rssBytes + x.rssBytes,
        cpuUs: s.cpuUs + x.cpuUs,
      }), { connected: 0, active: 0, failed: 0, example: null, rssBytes: 0, cpuUs: 0 });
    },
    stop: async () => { await Promise.allSettled(children.map((c) => c.stop({ type: 'stop' }, 'stopped', 30_000))); },
  };
}
