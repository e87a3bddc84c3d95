/**
 * A benchmark's helper process (agents that must not share the measured process's event loop),
 * driven by request/reply messages: `{type: ...}` out, a reply of a named type back, and
 * `{type: 'error', message}` failing every waiting request. Killed with this process.
 */
import { fork, type ChildProcess } from 'node:child_process';

type Message = { type: string };
type ErrorMessage = { type: 'error'; message: string };

export interface ChildRpc<To extends Message, From extends Message> {
  ask<T extends From['type']>(msg: To, reply: T): Promise<Extract<From, { type: T }>>;
  /** Sends `stopMsg`, waits for the child to exit (killing it after `graceMs`). */
  stop(stopMsg: To, stopReply: From['type'], graceMs: number): Promise<void>;
}

export function forkChildRpc<To extends Message, From extends Message>(script: string, what: string): ChildRpc<To, From> {
  const child: ChildProcess = fork(script, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const waiters: Array<{ type: string; resolve: (m: From) => void; reject: (e: Error) => void }> = [];
  const fail = (e: Error) => { for (const w of waiters.splice(0)) w.reject(e); };
  child.on('message', (m: From | ErrorMessage) => {
    if (m.type === 'error') return fail(new Error(`${what}: ${(m as ErrorMessage).message}`));
    const i = waiters.findIndex((w) => w.type === m.type);
    if (i >= 0) waiters.splice(i, 1)[0]!.resolve(m as From);
  });
  child.once('exit', (code, signal) => fail(new Error(`${what} exited (${code ?? signal})`)));
  const ask = <T extends From['type']>(msg: To, reply: T): Promise<Extract<From, { type: T }>> => new Promise((resolve, reject) => {
    waiters.push({ type: reply, resolve: resolve as (m: From) => void, reject });
    child.send(msg);
  });
  return {
    ask,
    stop: async (stopMsg, stopReply, graceMs) => {
      process.off('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await ask(stopMsg, stopReply).catch(() => {});
      await exited;
      clearTimeout(timer);
    },
  };
}
