/**
 * bench:fanout's agents spread over child processes (lib/fanout-child.ts): real agents, each
 * with its own identity, SQLite buffer, bundle slots and MQTT connection.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AgentConfig } from '../../shared/config/agent-config.ts';
import type { FanoutChildState, FromFanoutChild, ToFanoutChild } from './fanout-child.ts';

const CHILD_SCRIPT = fileURLToPath(new URL('./fanout-child.ts', import.meta.url));

interface Child {
  ask<T extends FromFanoutChild['type']>(msg: ToFanoutChild, reply: T): Promise<Extract<FromFanoutChild, { type: T }>>;
  stop(): Promise<void>;
}

function startChild(): Child {
  const child: ChildProcess = fork(CHILD_SCRIPT, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const waiters: Array<{ type: FromFanoutChild['type']; resolve: (m: FromFanoutChild) => void; reject: (e: Error) => void }> = [];
  const fail = (e: Error) => { for (const w of waiters.splice(0)) w.reject(e); };
  child.on('message', (m: FromFanoutChild) => {
    if (m.type === 'error') return fail(new Error(`fan-out agents child: ${m.message}`));
    const i = waiters.findIndex((w) => w.type === m.type);
    if (i >= 0) waiters.splice(i, 1)[0]!.resolve(m);
  });
  child.once('exit', (code, signal) => fail(new Error(`fan-out agents child exited (${code ?? signal})`)));
  return {
    ask: (msg, reply) => new Promise((resolve, reject) => {
      waiters.push({ type: reply, resolve: resolve as (m: FromFanoutChild) => void, reject });
      child.send(msg);
    }),
    stop: async () => {
      process.off('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.send({ type: 'stop' } satisfies ToFanoutChild);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface FanoutAgents {
  start(): Promise<void>;
  /** Summed over the children. */
  state(bundleId: string): Promise<FanoutChildState>;
  stop(): Promise<void>;
}

export async function spawnFanoutAgents(configs: readonly AgentConfig[], processes: number): Promise<FanoutAgents> {
  const n = Math.max(1, Math.min(processes, configs.length));
  const children = Array.from({ length: n }, () => startChild());
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
    stop: async () => { await Promise.allSettled(children.map((c) => c.stop())); },
  };
}
