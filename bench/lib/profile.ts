/**
 * CPU profiles of a measured window only (not the set-up around it), through the inspector:
 * `--profile DIR` on a benchmark writes DIR/<name>.cpuprofile, which Chrome DevTools or
 * speedscope open. Summarise one with bench/lib/profile-summary.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

export interface WindowProfiler { stop(name: string): Promise<string> }

/** Starts profiling now; stop(name) writes the profile and returns its path. Null without a dir. */
export async function startProfile(dir: string | undefined): Promise<WindowProfiler | null> {
  if (!dir) return null;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return {
    async stop(name) {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${name}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      return file;
    },
  };
}
