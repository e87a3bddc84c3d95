/**
 * For the end-to-end rollout tests, everything real: a hub (embedded broker, SQLite) in a temp
 * dir, bundles built and signed with the hub's own keys and uploaded over its HTTP API, agents
 * provisioned through the hub (their only trust is the root provisioning hands them) with a
 * sensor the test drives, and a log of every reported state the hub took in, so a test can show
 * what a device did on its own before the hub answered.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { HubHandle } from '../../cloud-hub/hub-api.ts';
import type { DeploymentStatus } from '../../cloud-hub/rollouts/schema.ts';
import type { BundleRecord, ReportedRecord } from '../../cloud-hub/store/rollout-store.ts';
import type { BundleState } from '../../edge-agent/agent-api.ts';
import type { ScoredReading } from '../../edge-agent/runtime/model-host.ts';
import {
  buildBundle, loadHubTrust, recordHealthCheck, sha256Hex,
  type BuiltBundle, type BundleTarget, type HealthCheck, type HubTrust, type Manifest,
} from '../../shared/bundle/index.ts';
import { parseAgentConfig, type AgentConfig } from '../../shared/config/agent-config.ts';
import { fitPreprocess, serialisePreprocessSpec } from '../../shared/features/index.ts';
import { silentLogger } from '../../shared/log/logger.ts';
import { eye, reconstructionModel } from '../support/tiny-onnx.ts';
import { ADMIN_TOKEN, Agent, ScriptedSensor, startTestHub, tempDir, waitFor } from '../integration/agent-harness.ts';
import { loadOrCreateIdentity } from '../../edge-agent/identity/identity.ts';

export { waitFor };

const DAY = 86_400_000;
/** The stream and features of ScriptedSensor, which the field agents run. */
export const FIELD_STREAM = 'env';
export const FIELD_FEATURES = ['a', 'b'] as const;
const WINDOW = 4;

export interface ApiAnswer<T> { status: number; body: T }
export interface ErrorBody { error: { code: string; message: string } }

/** A hub in its own temp dir, its signing material as loaded from `<dataDir>/keys`, and what it heard. */
export class RolloutHub {
  /** Every reported state the hub stored, per device, in arrival order. */
  readonly reports = new Map<string, ReportedRecord[]>();
  readonly #offReports: () => void;

  private constructor(readonly hub: HubHandle, readonly trust: HubTrust, readonly dataDir: string, private readonly removeDir: () => void) {
    this.#offReports = hub.reported.onReported((r) => {
      const list = this.reports.get(r.device) ?? [];
      list.push(r);
      this.reports.set(r.device, list);
    });
  }

  static async start(fleet: string): Promise<RolloutHub> {
    const tmp = tempDir('edgehive-rollout-');
    let hub: HubHandle | null = null;
    try {
      hub = await startTestHub({ dataDir: join(tmp.dir, 'hub'), fleet });
      return new RolloutHub(hub, loadHubTrust(join(tmp.dir, 'hub', 'keys'), Date.now()), tmp.dir, tmp.remove);
    } catch (e) {
      await hub?.close();
      tmp.remove();
      throw e;
    }
  }

  get fleet(): string { return this.trust.keys.body.fleet; }

  async api<T = DeploymentStatus>(method: string, path: string, body?: unknown): Promise<ApiAnswer<T>> {
    const binary = body instanceof Uint8Array;
    const res = await fetch(`${this.hub.httpUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': binary ? 'application/octet-stream' : 'application/json' }),
      },
      ...(body === undefined ? {} : { body: binary ? body : JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as T };
  }

  /** POST /api/v1/bundles, as an operator uploads a bundle built elsewhere. */
  async upload(b: BuiltBundle): Promise<BundleRecord> {
    const res = await this.api<BundleRecord>('POST', '/api/v1/bundles', b.bytes);
    assert.equal(res.status, 201, `upload of ${b.manifest.model} v${b.manifest.version}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.id, b.id);
    return res.body;
  }

  async deploy(req: Record<string, unknown>): Promise<DeploymentStatus> {
    const res = await this.api('POST', '/api/v1/deployments', req);
    assert.equal(res.status, 201, `POST /api/v1/deployments: ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async status(id: string): Promise<DeploymentStatus> {
    const res = await this.api('GET', `/api/v1/deployments/${id}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  }

  /** Polls GET /api/v1/deployments/:id until `pred` holds; the last status is in the timeout error. */
  async statusWhen(id: string, what: string, pred: (s: DeploymentStatus) => boolean, timeoutMs = 15_000): Promise<DeploymentStatus> {
    const seen: { last: DeploymentStatus | null } = { last: null };
    try {
      await waitFor(what, async () => pred(seen.last = await this.status(id)), timeoutMs);
    } catch (e) {
      const l = seen.last;
      throw new Error(`${(e as Error).message}; last status: ${JSON.stringify(l && { state: l.state, reason: l.reason, devices: l.devices })}`);
    }
    return seen.last!;
  }

  async auditOf(target: string): Promise<Array<{ actor: string; action: string; target: string; details?: Record<string, unknown> }>> {
    return (await this.hub.store.listAudit(1000)).filter((e) => e.target === target || e.details?.deployment === target).reverse();
  }

  async close(): Promise<void> {
    this.#offReports();
    try {
      await this.hub.close();
    } finally {
      this.removeDir();
    }
  }
}

export interface BundleSpec {
  model: string;
  version: number;
  targets: BundleTarget[];
  /** Scale of the identity weights (another model, same shapes). */
  weightScale?: number;
  stream?: string;
  features?: readonly string[];
  /** An extra `weights` artefact of this many bytes. */
  padBytes?: number;
}

const checks = new Map<string, Promise<HealthCheck>>();

function healthCheckOf(model: Uint8Array, features: number): Promise<HealthCheck> {
  const key = sha256Hex(model);
  let c = checks.get(key);
  if (!c) {
    c = recordHealthCheck(model, [1, WINDOW, features], { runs: 3 });
    checks.set(key, c);
  }
  return c;
}

/** A real reconstruction model with its preprocessing spec and recorded health check, signed with the hub's key. */
export async function signedBundle(trust: HubTrust, s: BundleSpec): Promise<BuiltBundle> {
  const features = [...(s.features ?? FIELD_FEATURES)];
  const n = features.length;
  const onnx = reconstructionModel(WINDOW, n, eye(n, s.weightScale ?? 1), new Array<number>(n).fill(0));
  const rows = Array.from({ length: 48 }, (_, i) => features.map((_, j) => Math.sin(i / (3 + j)) * (5 + j) + 10 * j));
  const preprocess = fitPreprocess(rows, { features, imputation: { method: 'last' }, normalisation: 'zscore', window: { length: WINDOW, stride: 1 } });
  const artefacts: Array<{ name: string; kind: Manifest['artefacts'][number]['kind']; data: Uint8Array }> = [
    { name: 'model.onnx', kind: 'model.onnx', data: onnx },
    { name: 'preprocess.json', kind: 'preprocess.json', data: new TextEncoder().encode(serialisePreprocessSpec(preprocess)) },
  ];
  if (s.padBytes) {
    const pad = new Uint8Array(s.padBytes);
    for (let i = 0; i < pad.length; i++) pad[i] = (i * 2654435761) >>> 24;
    artefacts.push({ name: 'weights.bin', kind: 'weights', data: pad });
  }
  const now = Date.now();
  return buildBundle({
    manifest: {
      fleet: trust.keys.body.fleet, model: s.model, version: s.version, createdMs: now - 60_000, expiresMs: now + 30 * DAY,
      targets: s.targets, minAgentVersion: '0.1.0', variant: 'fp32', task: 'anomaly', stream: s.stream ?? FIELD_STREAM,
      inputs: [{ name: 'x', dims: ['N', WINDOW, n], type: 'float32' }],
      outputs: [{ name: 'y', dims: ['N', WINDOW, n], type: 'float32' }],
      metrics: {}, check: await healthCheckOf(onnx, n), source: { modelVersion: s.version, jobId: null },
    },
    artefacts, signer: trust.signer, roots: trust.roots, keys: trust.keys,
  });
}

export interface FieldAgentSpec {
  id: string;
  group: string;
  profile: string;
  /** The simulator's stand-in for a slower CPU: multiplies the health check's measured latency. */
  latencyScale?: number;
}

/** An agent provisioned through the hub, with a sensor the test drives and the scores its model produced. */
export class FieldAgent {
  agent: Agent;
  sensor: ScriptedSensor;
  readonly scores: ScoredReading[] = [];

  private constructor(readonly spec: FieldAgentSpec, readonly config: AgentConfig) {
    this.sensor = new ScriptedSensor(FIELD_STREAM);
    this.agent = this.#make();
  }

  static async provision(h: RolloutHub, spec: FieldAgentSpec): Promise<FieldAgent> {
    const dataDir = join(h.dataDir, 'devices', spec.id);
    const identity = loadOrCreateIdentity(dataDir);
    const { agentConfig } = await h.hub.provision({ id: spec.id, group: spec.group, profile: spec.profile, publicKey: identity.publicKeyBase64 });
    assert.ok(agentConfig.bundles?.root, `provisioning ${spec.id} hands out the fleet's root`);
    const config = parseAgentConfig({
      ...agentConfig, dataDir, sensors: [],
      uplink: { reconnectMinMs: 50, reconnectMaxMs: 250, ackTimeoutMs: 2000 },
      bundles: { ...agentConfig.bundles, reportEveryMs: 200, latencyScale: spec.latencyScale ?? 1 },
      log: { level: 'silent' },
    }, `agent config of ${spec.id}`);
    return new FieldAgent(spec, config);
  }

  #make(): Agent {
    return new Agent(this.config, { logger: silentLogger(), sensors: [this.sensor], onScore: (s) => this.scores.push(s) });
  }

  get id(): string { return this.spec.id; }

  state(): BundleState { return this.agent.bundleState(); }

  start(): Promise<void> { return this.agent.start(); }

  /** A new Agent process on the same data dir (and a fresh sensor), as after a power cycle. */
  async restart(): Promise<void> {
    await this.agent.stop();
    this.sensor = new ScriptedSensor(FIELD_STREAM);
    this.agent = this.#make();
    await this.agent.start();
  }

  stop(): Promise<void> { return this.agent.stop(); }

  /** Feeds `n` readings and waits until the active model scored them; returns the scores of those readings. */
  async scoreReadings(n: number, timeoutMs = 10_000): Promise<ScoredReading[]> {
    const from = this.scores.length;
    this.sensor.emit(n);
    this.agent.flush();
    await waitFor(`${this.id} to score ${n} readings (${this.scores.length - from} so far)`, () => this.scores.length - from >= n, timeoutMs);
    return this.scores.slice(from);
  }
}

/** Stops every agent and closes the hub, even when some of it fails; the first failure is rethrown. */
export async function shutDown(agents: readonly FieldAgent[], h: RolloutHub | null): Promise<void> {
  const results = await Promise.allSettled([...agents.map((a) => a.stop())]);
  const hub = h ? await Promise.allSettled([h.close()]) : [];
  const failed = [...results, ...hub].find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
