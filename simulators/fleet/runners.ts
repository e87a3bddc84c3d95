/**
 * How one virtual device runs: as an Agent in this process (the default: cheap, hundreds per
 * process), or as its own child process running `edgehive agent --config <file>`, so that a
 * crash is a real SIGKILL and a restart is a fresh process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentConfig } from '../../shared/config/agent-config.ts';
import type { Logger } from '../../shared/log/logger.ts';
import { BUFFER_FILE, type AgentDeps, type AgentHandle } from '../../edge-agent/agent-api.ts';
import { readAgentDb } from './agent-db.ts';

export interface DeviceState {
  /** null when unknown (a child process does not report its connection). */
  connected: boolean | null;
  outboxRecords: number;
  outboxReadings: number;
  lastSeq: Record<string, number>;
}

export interface DeviceRunner {
  readonly running: boolean;
  start(): Promise<void>;
  /** Graceful: the agent flushes its sensors and says goodbye. */
  stop(): Promise<void>;
  /** Abrupt: in-memory readings are lost and the broker fires the will. */
  crash(): Promise<void>;
  state(): DeviceState;
}

export type AgentFactory = (config: AgentConfig, deps: AgentDeps) => AgentHandle;

export const EDGEHIVE_CLI = fileURLToPath(new URL('../cli/edgehive.js', import.meta.url));

export class InProcessRunner implements DeviceRunner {
  #agent: AgentHandle | null = null;

  constructor(private readonly config: AgentConfig, private readonly deps: AgentDeps, private readonly create: AgentFactory) {}

  get running(): boolean { return this.#agent !== null; }

  async start(): Promise<void> {
    if (this.#agent) return;
    const agent = this.create(this.config, this.deps);
    await agent.start();
    this.#agent = agent;
  }

  async stop(): Promise<void> {
    const a = this.#agent;
    this.#agent = null;
    await a?.stop();
  }

  async crash(): Promise<void> {
    const a = this.#agent;
    this.#agent = null;
    await a?.crash();
  }

  state(): DeviceState {
    if (this.#agent) {
      const s = this.#agent.stats();
      return { connected: s.connected, outboxRecords: s.outboxRecords, outboxReadings: s.outboxReadings, lastSeq: { ...s.lastSeq } };
    }
    const db = readAgentDb(join(this.config.dataDir, BUFFER_FILE));
    return { connected: false, outboxRecords: db?.outboxRecords ?? 0, outboxReadings: db?.outboxReadings ?? 0, lastSeq: db?.lastSeq ?? {} };
  }
}

export interface ProcessRunnerOptions {
  configFile: string;
  dataDir: string;
  logger: Logger;
  /** Grace before a stop turns into SIGKILL. */
  stopTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

/**
 * Agent processes get their own process group (detached), so a Ctrl-C at the terminal reaches
 * only the simulator, which then stops them in order. Should the simulator exit without stopping
 * them, this hook kills what is left rather than leaving orphans.
 */
const liveChildren = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of liveChildren) c.kill('SIGKILL');
});

export class ProcessRunner implements DeviceRunner {
  #child: ChildProcess | null = null;
  #exited: Promise<void> = Promise.resolve();
  #cached: DeviceState = { connected: null, outboxRecords: 0, outboxReadings: 0, lastSeq: {} };

  constructor(private readonly opts: ProcessRunnerOptions) {}

  get running(): boolean { return this.#child !== null; }

  get pid(): number | undefined { return this.#child?.pid; }

  async start(): Promise<void> {
    if (this.#child) return;
    const log = openSync(join(this.opts.dataDir, 'agent.log'), 'a');
    const child = spawn(process.execPath, [EDGEHIVE_CLI, 'agent', '--config', this.opts.configFile], {
      stdio: ['ignore', log, log],
      env: { ...process.env, ...this.opts.env },
      detached: true,
    });
    closeSync(log);
    this.#child = child;
    liveChildren.add(child);
    this.#exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        liveChildren.delete(child);
        if (this.#child === child) {
          this.#child = null;
          this.opts.logger.warn({ code, signal, log: join(this.opts.dataDir, 'agent.log') }, 'agent process exited by itself');
        }
        resolve();
      });
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', reject);
    });
  }

  async stop(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    this.#child = null;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), this.opts.stopTimeoutMs ?? 20_000);
    await this.#exited;
    clearTimeout(timer);
  }

  async crash(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    this.#child = null;
    child.kill('SIGKILL');
    await this.#exited;
  }

  /** Read from the agent's database; a failed read (a busy file) returns the last good one. */
  state(): DeviceState {
    try {
      const db = readAgentDb(join(this.opts.dataDir, BUFFER_FILE));
      if (db) this.#cached = { connected: null, outboxRecords: db.outboxRecords, outboxReadings: db.outboxReadings, lastSeq: db.lastSeq };
    } catch (e) {
      this.opts.logger.debug({ err: e }, 'agent database not readable right now');
    }
    return this.#cached;
  }
}
