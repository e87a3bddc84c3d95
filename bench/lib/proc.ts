/**
 * Memory and event-loop figures: resident memory (VmRSS) of any process from /proc, sampled over
 * a window, and a child process running one edgehive subcommand.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { EDGEHIVE_CLI } from './hubs.ts';
import { median } from './report.ts';
import { sleep } from './util.ts';

/** VmRSS of `pid` in MiB (NaN when the process is gone). */
export function rssMb(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

export interface RssSummary { maxMb: number; medianMb: number; samples: number }

/** Samples VmRSS of `pid` every `everyMs` for `durationMs`. */
export async function sampleRss(pid: number, durationMs: number, everyMs = 250): Promise<RssSummary> {
  const xs: number[] = [];
  const end = Date.now() + durationMs;
  while (Date.now() < end) {
    const v = rssMb(pid);
    if (Number.isFinite(v)) xs.push(v);
    await sleep(everyMs);
  }
  if (xs.length === 0) throw new Error(`process ${pid} went away while its memory was sampled`);
  return { maxMb: Math.max(...xs), medianMb: median(xs), samples: xs.length };
}

export interface Child { proc: ChildProcess; pid: number; exited: Promise<number | null>; stop(): Promise<void> }

/**
 * `node simulators/cli/edgehive.js ...args` (or another entry, e.g. a compiled build's
 * simulators/cli/main.js), output appended to `logFile`.
 */
export function spawnEdgehive(args: readonly string[], logFile: string, env: NodeJS.ProcessEnv = {}, entry = EDGEHIVE_CLI): Child {
  const log = openSync(logFile, 'a');
  const proc = spawn(process.execPath, [entry, ...args], { stdio: ['ignore', log, log], env: { ...process.env, ...env } });
  closeSync(log);
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const kill = () => proc.kill('SIGKILL');
  process.once('exit', kill);
  return {
    proc, pid: proc.pid!, exited,
    async stop() {
      process.off('exit', kill);
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** Event-loop delay of this process, in ms, between start() and stop(). */
export class LoopLag {
  #h: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  start(): void { this.#h.reset(); this.#h.enable(); }
  stop(): { p50: number; p99: number; max: number } {
    this.#h.disable();
    const ms = (ns: number) => ns / 1e6;
    return { p50: ms(this.#h.percentile(50)), p99: ms(this.#h.percentile(99)), max: ms(this.#h.max) };
  }
}
