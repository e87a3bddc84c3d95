/**
 * `edgehive detect`: the real loop on one recorded series, causally, as NAB requires.
 *
 *  1. A hub (embedded broker, its own store) and one provisioned agent start in a temp folder.
 *  2. The series' rows stream into the agent's sensor; the agent buffers them and sends them over
 *     MQTT; the hub stores them and acks.
 *  3. When the probationary share (15 %) has arrived at the hub, the hub's training job trains the
 *     recipe on what the hub has received (through the API, in a worker thread), exports it,
 *     quantises it and registers the version.
 *  4. The agent gets the version's int8 model (or fp32, for comparison) and the probationary
 *     readings it has already seen, to seed its model window and score history; it then scores
 *     every later row as it arrives, with its online normaliser and threshold.
 *
 * Rows before the model exist score 0: NAB ignores detections in the probationary period.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startHub } from '../../cloud-hub/hub.ts';
import type { HubHandle } from '../../cloud-hub/hub-api.ts';
import type { Job } from '../../cloud-hub/jobs/schema.ts';
import { createTrainingPipeline } from '../../cloud-hub/pipeline/index.ts';
import type { Recipe } from '../../cloud-hub/recipes/schema.ts';
import type { ModelVersion } from '../../cloud-hub/registry/schema.ts';
import { Agent } from '../../edge-agent/agent.ts';
import { loadOrCreateIdentity } from '../../edge-agent/identity/identity.ts';
import { defaultScoring, type ScoredReading } from '../../edge-agent/runtime/index.ts';
import type { SensorReading } from '../../edge-agent/sensors/types.ts';
import { parseAgentConfig } from '../../shared/config/agent-config.ts';
import { EdgehiveError } from '../../shared/errors/index.ts';
import { parsePreprocessSpec } from '../../shared/features/index.ts';
import { silentLogger } from '../../shared/log/logger.ts';
import { SeriesSensor } from './series-sensor.ts';
import type { Series } from './series-csv.ts';

export const PROBATION_FRACTION = 0.15;
const DEVICE = 'detect-1';
const STREAM = 'series';
const FEED_CHUNK = 256;

export interface DetectOptions {
  readonly recipe: Recipe;
  readonly series: Series;
  /** Rows before the model is trained (default: NAB's 15 %, at most 750 rows as NAB caps it). */
  readonly probationRows?: number;
  /** The variant the agent runs (default int8, what devices get). */
  readonly variant?: 'int8' | 'fp32';
  readonly onProgress?: (line: string) => void;
  /** Give up waiting for the hub after this long (default 10 min). */
  readonly timeoutMs?: number;
}

export interface DetectResult {
  /** One anomaly score in [0, 1] per row. */
  readonly scores: Float64Array;
  /** The model's raw score per row (NaN where it had none). */
  readonly raw: Float64Array;
  readonly detections: number;
  readonly probationRows: number;
  readonly model: { readonly version: number; readonly variant: 'int8' | 'fp32'; readonly bytes: number; readonly gate: string };
  readonly timings: { readonly ingestMs: number; readonly trainMs: number; readonly scoreMs: number };
}

export function probationRowsOf(n: number): number {
  return Math.min(Math.floor(n * PROBATION_FRACTION), 750);
}

async function until(what: string, deadline: number, check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) {
    if (Date.now() > deadline) throw new EdgehiveError('EH_STATE', `detect: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function runDetect(options: DetectOptions): Promise<DetectResult> {
  const { recipe, series } = options;
  const n = series.rows.length;
  const probation = options.probationRows ?? probationRowsOf(n);
  const variant = options.variant ?? 'int8';
  const say = options.onProgress ?? (() => undefined);
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  const dir = mkdtempSync(join(tmpdir(), 'edgehive-detect-'));
  const admin = randomBytes(24).toString('hex');
  let hub: HubHandle | null = null;
  let agent: Agent | null = null;
  try {
    hub = await startHub(
      { dataDir: join(dir, 'hub'), fleet: 'detect', mqtt: { host: '127.0.0.1', port: 0 }, http: { host: '127.0.0.1', port: 0 }, bootstrapAdminToken: admin, log: { level: 'silent' } },
      // Detect deploys to no device class, so the per-profile footprint is not measured.
      { logger: silentLogger(), pipeline: createTrainingPipeline({ profiles: [] }) },
    );
    const agentDir = join(dir, 'agent');
    const identity = loadOrCreateIdentity(agentDir);
    const { agentConfig } = await hub.provision({ id: DEVICE, profile: 'x86-gateway', publicKey: identity.publicKeyBase64 });
    const sensor = new SeriesSensor(STREAM, series.features);
    const scores = new Float64Array(n);
    const raw = new Float64Array(n).fill(Number.NaN);
    let next = probation;
    let detections = 0;
    agent = new Agent(parseAgentConfig({ ...agentConfig, dataDir: agentDir, log: { level: 'warn' } }), {
      logger: silentLogger(),
      sensors: [sensor],
      // The probationary readings seed the score history, so scoring starts at full resolution.
      scoring: defaultScoring({ minHistory: 0 }),
      onScore: (s: ScoredReading) => {
        if (next >= n) return;
        scores[next] = s.score;
        raw[next] = s.raw;
        if (s.detection) detections++;
        next++;
      },
    });
    await agent.start();

    const reading = (i: number): SensorReading => ({ tsMs: series.timestamps[i] as number, values: [...(series.rows[i] as number[])] });
    const started = Date.now();
    say(`streaming the first ${probation} of ${n} rows (probationary period) through the agent to the hub`);
    for (let i = 0; i < probation; i += FEED_CHUNK) {
      sensor.emit(Array.from({ length: Math.min(FEED_CHUNK, probation - i) }, (_, k) => reading(i + k)));
    }
    agent.flush();
    const a = agent;
    await until('the hub to store the probationary rows', deadline, () => a.stats().readingsAcked >= probation);
    const ingestMs = Date.now() - started;

    say(`training ${recipe.name} on the hub from the ${probation} rows it stored`);
    const trainStarted = Date.now();
    const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${hub!.httpUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${admin}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      if (!res.ok) throw new EdgehiveError('EH_STATE', `detect: ${method} ${path} answered ${res.status}: ${await res.text()}`);
      return (path.includes('/artefacts/') ? new Uint8Array(await res.arrayBuffer()) : await res.json()) as T;
    };
    const { jobId } = await api<{ jobId: string }>('POST', `/api/v1/models/${recipe.name}/train`, { recipe, data: { device: DEVICE } });
    let job: Job | null = null;
    await until('the training job', deadline, async () => {
      job = await api<Job>('GET', `/api/v1/jobs/${jobId}`);
      return job.state !== 'queued' && job.state !== 'running';
    });
    const done = job as unknown as Job;
    if (done.state !== 'succeeded') {
      throw new EdgehiveError((done.error?.code as never) ?? 'EH_TRAINING_FAILED', `training on the probationary rows failed: ${done.error?.message ?? done.state}`);
    }
    const versions = await api<ModelVersion[] | { versions: ModelVersion[] }>('GET', `/api/v1/models/${recipe.name}/versions`);
    const list = Array.isArray(versions) ? versions : versions.versions;
    const version = list[list.length - 1] as ModelVersion;
    const file = version.variants.find((v) => v.variant === variant)?.file;
    if (!file) throw new EdgehiveError('EH_NOT_FOUND', `version ${version.version} of ${recipe.name} has no ${variant} variant`);
    const model = await api<Uint8Array>('GET', `/api/v1/models/${recipe.name}/versions/${version.version}/artefacts/${file}`);
    const spec = parsePreprocessSpec(JSON.parse(new TextDecoder().decode(await api<Uint8Array>('GET', `/api/v1/models/${recipe.name}/versions/${version.version}/artefacts/preprocess.json`))));
    const trainMs = Date.now() - trainStarted;
    say(`version ${version.version}: ${variant} ${model.length} bytes; ${version.statusReason ?? ''}`);

    await agent.loadModel({
      model, preprocess: spec, task: recipe.task, stream: STREAM, id: `${recipe.name}@${version.version}/${variant}`,
      calibration: Array.from({ length: probation }, (_, i) => reading(i)), calibrationFeatures: series.features,
    });

    const scoreStarted = Date.now();
    say(`scoring rows ${probation + 1}..${n} on the agent as they arrive`);
    for (let i = probation; i < n; i += FEED_CHUNK) {
      sensor.emit(Array.from({ length: Math.min(FEED_CHUNK, n - i) }, (_, k) => reading(i + k)));
      await agent.scored();
    }
    await agent.scored();
    if (next !== n) throw new EdgehiveError('EH_STATE', `detect: the agent scored ${next - probation} of ${n - probation} rows`);
    return {
      scores, raw, detections, probationRows: probation,
      model: { version: version.version, variant, bytes: model.length, gate: version.statusReason ?? '' },
      timings: { ingestMs, trainMs, scoreMs: Date.now() - scoreStarted },
    };
  } finally {
    await agent?.stop().catch(() => undefined);
    await hub?.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}
