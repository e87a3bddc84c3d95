/**
 * The ingest benchmark's agents in a process of their own (bench/lib/ingest-run.ts forks this
 * file). In a deployment every agent is a device of its own; run in the hub's process they would
 * charge their outbox reads and commits to the hub's one event loop, and the end-to-end figure
 * would measure both on one thread against a ceiling measured on a quiet one.
 *
 * Messages from the parent: {type: 'load', configs}, {type: 'go'}, {type: 'poll'}, {type: 'stop'}.
 * To the parent: {type: 'loaded'}, {type: 'started'}, {type: 'stats', ...ChildStats} for each
 * poll, {type: 'stopped'}, {type: 'error', message}. Nothing is sent unasked while agents run.
 */
import type { Agent } from '../../edge-agent/agent.ts';
import { parseAgentConfig } from '../../shared/config/agent-config.ts';
import { makeAgents, outboxRecords } from './agents.ts';

export interface ChildStats { outboxRecords: number; resends: number; reconnects: number; cpuUserUs: number; cpuSystemUs: number }

export type ToChild = { type: 'load'; configs: unknown[] } | { type: 'go' } | { type: 'poll' } | { type: 'stop' };
export type FromChild = { type: 'loaded' } | { type: 'started' } | ({ type: 'stats' } & ChildStats) | { type: 'stopped' } | { type: 'error'; message: string };

const send = (m: FromChild): void => { process.send?.(m); };

let agents: Agent[] = [];
let cpu0 = process.cpuUsage();

function stats(): ChildStats {
  const cpu = process.cpuUsage(cpu0);
  let resends = 0;
  let reconnects = 0;
  for (const a of agents) {
    const s = a.stats();
    resends += s.resends;
    reconnects += s.reconnects;
  }
  return { outboxRecords: outboxRecords(agents), resends, reconnects, cpuUserUs: cpu.user, cpuSystemUs: cpu.system };
}

process.on('message', (m: ToChild) => {
  void (async () => {
    try {
      if (m.type === 'load') {
        agents = makeAgents(m.configs.map((c, i) => parseAgentConfig(c, `agent config ${i}`)));
        send({ type: 'loaded' });
      } else if (m.type === 'go') {
        cpu0 = process.cpuUsage();
        await Promise.all(agents.map((a) => a.start()));
        send({ type: 'started' });
      } else if (m.type === 'poll') {
        send({ type: 'stats', ...stats() });
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
