/**
 * One bench:fanout measurement: a fresh hub (embedded broker, or a client of Mosquitto), N real
 * agents in child processes, one signed bundle uploaded to the hub, and the clock from "deployment
 * created" until every agent runs the bundle (downloaded, verified, written, swapped, healthy).
 *
 * The bundle holds a real 1 MiB model (256 features → 512 → 256, a reconstruction autoencoder) and its preprocessing
 * spec; the 10 MiB bundle adds a 9 MiB `weights` artefact (what a federated round ships), so that
 * a thousand agents' ONNX sessions fit in memory while the bytes on the wire are 10 MiB each.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import mqtt from 'mqtt';
import type { HubHandle } from '../../cloud-hub/hub-api.ts';
import { loadOrCreateIdentity } from '../../edge-agent/identity/identity.ts';
import { buildBundle, loadHubTrust, recordHealthCheck, type BuiltBundle } from '../../shared/bundle/index.ts';
import { parseAgentConfig, type AgentConfig } from '../../shared/config/agent-config.ts';
import { fitPreprocess, serialisePreprocessSpec } from '../../shared/features/index.ts';
import { topicsFor } from '../../shared/protocol/topics.ts';
import { buildOnnx } from '../../test/support/tiny-onnx.ts';
import { spawnFanoutAgents } from './fanout-agents.ts';
import { clearRetained, startBenchHub } from './hubs.ts';
import { say, sleep, tempDir, waitUntil } from './util.ts';

const MiB = 1024 * 1024;
const FEATURES = 256;
const HIDDEN = 512;
const WINDOW = 4;
const PROFILE = 'x86-gateway';

export interface FanoutRunOptions {
  devices: number;
  bundleMiB: number;
  /** Mosquitto (or another external broker); the hub's embedded broker when absent. */
  externalUrl?: string;
  processes: number;
  timeoutMs: number;
}

export interface FanoutRunResult {
  seconds: number;
  bundleBytes: number;
  /** Bytes the broker sent during the rollout; null when it cannot tell. */
  brokerBytes: number | null;
  connectSeconds: number;
  agentsRssMiB: number;
}

async function bundleFor(hubDir: string, fleet: string, mib: number): Promise<BuiltBundle> {
  const trust = loadHubTrust(join(hubDir, 'keys'), Date.now());
  const rnd = (i: number) => (((i * 2654435761) >>> 0) / 2 ** 32 - 0.5) * 0.05;
  const model = buildOnnx({
    inputs: [{ name: 'x', shape: ['N', WINDOW, FEATURES] }],
    outputs: [{ name: 'y', shape: ['N', WINDOW, FEATURES] }],
    nodes: [
      { op: 'MatMul', inputs: ['x', 'W1'], outputs: ['h'] },
      { op: 'Relu', inputs: ['h'], outputs: ['r'] },
      { op: 'MatMul', inputs: ['r', 'W2'], outputs: ['y'] },
    ],
    initializers: [
      { name: 'W1', dims: [FEATURES, HIDDEN], float32: Array.from({ length: FEATURES * HIDDEN }, (_, i) => rnd(i)) },
      { name: 'W2', dims: [HIDDEN, FEATURES], float32: Array.from({ length: FEATURES * HIDDEN }, (_, i) => rnd(i + 7)) },
    ],
  });
  const names = Array.from({ length: FEATURES }, (_, i) => `f${i}`);
  const rows = Array.from({ length: 64 }, (_, r) => names.map((_, c) => Math.sin(r / 5 + c)));
  const preprocess = fitPreprocess(rows, { features: names, imputation: { method: 'last' }, normalisation: 'zscore', window: { length: WINDOW, stride: 1 } });
  const artefacts: Parameters<typeof buildBundle>[0]['artefacts'][number][] = [
    { name: 'model.onnx', kind: 'model.onnx', data: model },
    { name: 'preprocess.json', kind: 'preprocess.json', data: new TextEncoder().encode(serialisePreprocessSpec(preprocess)) },
  ];
  const pad = Math.max(0, mib * MiB - model.length - 64 * 1024);
  if (pad > 0) artefacts.push({ name: 'weights.bin', kind: 'weights', data: new Uint8Array(randomBytes(pad)) });
  const now = Date.now();
  return buildBundle({
    manifest: {
      fleet, model: 'fanout', version: 1, createdMs: now, expiresMs: now + 86_400_000,
      // The health check still loads the model and compares its output, but its latency budget is
      // out of reach: a thousand agents sharing two cores say nothing about one device's latency.
      targets: [{ profile: PROFILE, latencyBudgetMs: 600_000 }], minAgentVersion: '0.1.0', variant: 'fp32', task: 'anomaly', stream: 'sensors',
      inputs: [{ name: 'x', dims: ['N', WINDOW, FEATURES], type: 'float32' }],
      outputs: [{ name: 'y', dims: ['N', WINDOW, FEATURES], type: 'float32' }],
      metrics: {}, check: await recordHealthCheck(model, [1, WINDOW, FEATURES], { runs: 3 }), source: { modelVersion: null, jobId: null },
    },
    artefacts, signer: trust.signer, roots: trust.roots, keys: trust.keys,
  });
}

async function provision(hub: HubHandle, root: string, n: number): Promise<AgentConfig[]> {
  const out: AgentConfig[] = [];
  for (let i = 0; i < n; i++) {
    const id = `fan-${String(i).padStart(4, '0')}`;
    const dataDir = join(root, id);
    const identity = loadOrCreateIdentity(dataDir);
    const { agentConfig } = await hub.provision({ id, group: 'fanout', profile: PROFILE, publicKey: identity.publicKeyBase64 }, 'bench');
    out.push(parseAgentConfig({ ...agentConfig, dataDir, log: { level: 'silent' }, bundles: { ...agentConfig.bundles, latencyScale: 1 } }, `agent config of ${id}`));
  }
  return out;
}

/** Mosquitto's own count ($SYS/broker/bytes/sent, refreshed every sys_interval); null without one. */
async function mosquittoBytesSent(url: string, after: number): Promise<number | null> {
  const c = await mqtt.connectAsync(url, { connectTimeout: 5000, reconnectPeriod: 0, clientId: `edgehive-bench-sys-${process.pid}` });
  try {
    return await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), 25_000);
      c.on('message', (_t, p) => {
        if (Date.now() < after) return;
        clearTimeout(timer);
        resolve(Number(p.toString()));
      });
      void c.subscribeAsync('$SYS/broker/bytes/sent');
    });
  } finally {
    await c.endAsync();
  }
}

export async function runFanout(o: FanoutRunOptions): Promise<FanoutRunResult> {
  const dir = tempDir('edgehive-fanout-');
  const fleet = `fanout-${randomBytes(4).toString('hex')}`;
  const hubDir = join(dir.dir, 'hub');
  const hub = await startBenchHub({ dataDir: hubDir, fleet, ...(o.externalUrl ? { externalUrl: o.externalUrl } : {}) });
  let agents: Awaited<ReturnType<typeof spawnFanoutAgents>> | null = null;
  const configs = await provision(hub, join(dir.dir, 'devices'), o.devices);
  try {
    const built = await bundleFor(hubDir, fleet, o.bundleMiB);
    const record = await hub.bundles.upload(built.bytes, 'bench');
    agents = await spawnFanoutAgents(configs, o.processes);
    const c0 = performance.now();
    await agents.start();
    const a = agents;
    await waitUntil(`${o.devices} agents to connect`, async () => (await a.state(record.id)).connected === o.devices, 120_000, 200);
    const connectSeconds = (performance.now() - c0) / 1000;
    say(`    ${o.devices} agents connected in ${connectSeconds.toFixed(1)} s; rolling out ${(built.bytes.length / MiB).toFixed(2)} MiB`);
    const sys0 = o.externalUrl ? await mosquittoBytesSent(o.externalUrl, 0) : hub.brokerBytesSent();
    const t0 = performance.now();
    await hub.rollouts.create({ bundleId: record.id, target: { group: 'fanout' }, waves: [{ percent: 100, gates: { minSoakMs: 0, maxFailedInstalls: 0 } }], autoAdvance: true }, 'bench');
    let lastSay = 0;
    for (;;) {
      const s = await a.state(record.id);
      const t = performance.now() - t0;
      if (s.failed > 0) throw new Error(`${s.failed} agents refused or failed the bundle, e.g. ${s.example}`);
      if (s.active === o.devices) break;
      if (t > o.timeoutMs) throw new Error(`after ${Math.round(t / 1000)} s only ${s.active} of ${o.devices} agents run the bundle`);
      if (t - lastSay > 5000) { lastSay = t; say(`    ${s.active}/${o.devices} active after ${(t / 1000).toFixed(0)} s`); }
      await sleep(100);
    }
    const seconds = (performance.now() - t0) / 1000;
    const rss = (await a.state(record.id)).rssBytes / MiB;
    const sys1 = o.externalUrl ? await mosquittoBytesSent(o.externalUrl, Date.now() + 500) : hub.brokerBytesSent();
    return { seconds, bundleBytes: built.bytes.length, brokerBytes: sys0 !== null && sys1 !== null ? sys1 - sys0 : null, connectSeconds, agentsRssMiB: rss };
  } finally {
    await agents?.stop();
    const built = await hub.store.rollouts.listBundles().catch(() => []);
    await hub.close();
    if (o.externalUrl) {
      const t = topicsFor(fleet);
      const topics = [
        ...configs.flatMap((c) => [t.device(c.deviceId, 'desired'), t.device(c.deviceId, 'status'), t.device(c.deviceId, 'reported')]),
        ...built.flatMap((b) => Array.from({ length: b.chunks }, (_, i) => t.bundleChunk(b.id, i))),
      ];
      await clearRetained(o.externalUrl, topics).catch((e: unknown) => say(`    could not clear retained messages: ${(e as Error).message}`));
    }
    dir.remove();
  }
}
