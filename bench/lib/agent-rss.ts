/**
 * Resident memory of ONE agent process (no model): `edgehive agent --config FILE` as a child
 * process against a hub in this process, idle (connected, no sensors) and under load (a jsonl
 * command sensor emitting `rate` readings/s of 16 features). VmRSS of the agent's pid only; the
 * sensor command is a process of its own and not counted.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { HubHandle } from '../../cloud-hub/hub-api.ts';
import { loadOrCreateIdentity } from '../../edge-agent/identity/identity.ts';
import { parseAgentConfig, type AgentConfig } from '../../shared/config/agent-config.ts';
import { startBenchHub } from './hubs.ts';
import { sampleRss, spawnEdgehive, type RssSummary } from './proc.ts';
import { FEATURES_16, sleep, tempDir, waitUntil } from './util.ts';

export interface RssRun { idle: RssSummary; load: RssSummary; loadReadingsPerS: number; startupS: number }

/** A jsonl sensor command: `rate` readings/s, each {"ts": ms, "v": [16 values]}, written every 10 ms. */
export function generatorCommand(rate: number): string[] {
  const script = `const F=${FEATURES_16.length},R=${rate},t0=Date.now();let n=0;
setInterval(()=>{const due=Math.floor((Date.now()-t0)*R/1000);let s='';
for(;n<due;n++){const v=new Array(F);for(let f=0;f<F;f++)v[f]=Math.round(Math.sin(n*0.01+f)*1e4)/100;
s+=JSON.stringify({ts:Date.now(),v})+'\\n';}if(s)process.stdout.write(s);},10);`;
  return [process.execPath, '-e', script];
}

async function provision(hub: HubHandle, dataDir: string, id: string): Promise<AgentConfig> {
  const identity = loadOrCreateIdentity(dataDir);
  const { agentConfig } = await hub.provision({ id, profile: 'bench', publicKey: identity.publicKeyBase64 });
  return parseAgentConfig({ ...agentConfig, dataDir, log: { level: 'warn' } });
}

export interface AgentRssOptions {
  sampleMs: number;
  rate: number;
  /** JS entry instead of simulators/cli/edgehive.js (e.g. a compiled build's simulators/cli/main.js). */
  entry?: string;
  /** NODE_OPTIONS for the agent process (e.g. --max-semi-space-size=2). */
  nodeOptions?: string;
  /** More environment for the agent process. */
  env?: NodeJS.ProcessEnv;
}

export async function measureAgentRss(o: AgentRssOptions): Promise<RssRun> {
  const tmp = tempDir('eh-bench-agent-rss-');
  const hub = await startBenchHub({ dataDir: join(tmp.dir, 'hub'), fleet: 'bench' });
  try {
    const base = await provision(hub, join(tmp.dir, 'device'), 'rss-0001');
    const run = async (config: AgentConfig, name: string, loaded: boolean): Promise<{ rss: RssSummary; perS: number; startupS: number }> => {
      const file = join(tmp.dir, `${name}.json`);
      writeFileSync(file, JSON.stringify(config, null, 2));
      const t0 = performance.now();
      const env = { ...o.env, ...(o.nodeOptions === undefined ? {} : { NODE_OPTIONS: o.nodeOptions }) };
      const child = spawnEdgehive(['agent', '--config', file, '--quiet'], join(tmp.dir, `${name}.log`), env, o.entry);
      try {
        await waitUntil(`the ${name} agent to come online (log: ${join(tmp.dir, `${name}.log`)})`, () => hub.metrics().devicesOnline === 1, 60_000, 50);
        const startupS = (performance.now() - t0) / 1000;
        if (loaded) {
          const s0 = hub.metrics().readingsStored;
          await waitUntil('readings to arrive from the jsonl sensor', () => hub.metrics().readingsStored > s0, 30_000, 50);
        }
        await sleep(loaded ? 3000 : 2000); // past start-up
        const stored0 = hub.metrics().readingsStored;
        const w0 = performance.now();
        const rss = await sampleRss(child.pid, o.sampleMs);
        const perS = (hub.metrics().readingsStored - stored0) / ((performance.now() - w0) / 1000);
        return { rss, perS, startupS };
      } finally {
        await child.stop();
        await waitUntil(`the ${name} agent to go offline`, () => hub.metrics().devicesOnline === 0, 15_000, 50).catch(() => {});
      }
    };
    const idle = await run(base, 'idle', false);
    const load = await run({ ...base, sensors: [{ kind: 'jsonl', stream: 'load', features: [...FEATURES_16], command: generatorCommand(o.rate), follow: true }] }, 'load', true);
    return { idle: idle.rss, load: load.rss, loadReadingsPerS: load.perS, startupS: idle.startupS };
  } finally {
    await hub.close();
    tmp.remove();
  }
}
