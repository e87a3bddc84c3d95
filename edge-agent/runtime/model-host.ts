/**
 * The agent's active model: readings of the model's stream are offered here after the buffer has
 * them, scored in arrival order by the model, turned into an anomaly score in [0, 1] by an online
 * normaliser, thresholded, and reported. A new model replaces the old one between two readings,
 * never during one, and starts with fresh normaliser state (its raw scores mean something else).
 *
 * Scoring never blocks or fails data collection: a scoring error is counted and logged, and the
 * readings are already safe in the outbox.
 */
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { PreprocessSpec } from '../../shared/features/index.ts';
import { OnnxSession } from '../../shared/inference/index.ts';
import type { Logger } from '../../shared/log/logger.ts';
import type { SensorReading } from '../sensors/types.ts';
import { ModelRunner, type TaskKind } from './model-runner.ts';

export interface ModelSpec {
  /** ONNX bytes (the int8 variant on most devices). */
  readonly model: Uint8Array;
  readonly preprocess: PreprocessSpec;
  readonly task: TaskKind;
  /** Stream whose readings feed the model. */
  readonly stream: string;
  /** For logs and reports, e.g. "pump-anomaly@3/int8". */
  readonly id?: string;
  /**
   * Recent readings of the stream (features in `calibrationFeatures` order), oldest first: run
   * through the model when it loads to fill its window and the normaliser's history, without
   * reporting scores. Without them the first scores compare against an empty history.
   */
  readonly calibration?: readonly SensorReading[];
  readonly calibrationFeatures?: readonly string[];
}

/** Raw model score → anomaly score in [0, 1], causally; `add` takes a raw score into the history without scoring it. */
export interface ScoreNormaliser { update(raw: number): number; add?(raw: number): void }
/** Anomaly score → detection (and the score to publish). */
export interface Detector { update(score: number): { detection: boolean; score: number } }

export interface ScoredReading {
  readonly stream: string;
  readonly tsMs: number;
  /** The model's raw score, NaN for readings that completed no window. */
  readonly raw: number;
  /** In [0, 1]; 0 for readings with no raw score. */
  readonly score: number;
  readonly detection: boolean;
  /** classify: the predicted class index. */
  readonly label?: number;
  readonly modelId: string;
}

/**
 * A challenger run in shadow (edge-agent/shadow): offered each reading right after the champion
 * scored it, with the champion's result. Its output is never acted on.
 */
export interface ShadowScorer {
  score(stream: string, features: readonly string[], reading: SensorReading, champion: ScoredReading): Promise<void>;
}

export interface ModelHostOptions {
  readonly normaliser: () => ScoreNormaliser;
  readonly detector: () => Detector;
  readonly onScore: (s: ScoredReading) => void;
  readonly logger?: Logger;
  /** ORT threads (default 1: the agent shares a small CPU with its other work). */
  readonly intraOpThreads?: number;
}

interface Active {
  readonly spec: ModelSpec;
  readonly session: OnnxSession;
  readonly runner: ModelRunner;
  readonly normaliser: ScoreNormaliser;
  readonly detector: Detector;
  /** Column of each spec feature in the stream's readings, per stream feature list. */
  readonly columns: Map<string, Int32Array>;
}

/** Per-inference latencies kept for the p99: the most recent ones, in a fixed ring (no growth). */
export const LATENCY_RING = 1024;

/** Counters of the active model since it was loaded (the rollout gates' error rate and latency). */
export interface ActiveModelCounters {
  readonly modelId: string | null;
  readonly scored: number;
  readonly errors: number;
  /** 99th percentile of the recent per-reading scoring latencies (ms); NaN before the first. */
  readonly p99Ms: number;
}

export class ModelHost {
  readonly #o: ModelHostOptions;
  #active: Active | null = null;
  #tail: Promise<void> = Promise.resolve();
  #scored = 0;
  #errors = 0;
  #activeScored = 0;
  #activeErrors = 0;
  readonly #latencies = new Float64Array(LATENCY_RING);
  #latencyCount = 0;
  #shadow: ShadowScorer | null = null;
  /** Challenger failures that escaped it (it counts its own); never the champion's. */
  shadowFailures = 0;

  constructor(options: ModelHostOptions) {
    this.#o = options;
  }

  get modelId(): string | null { return this.#active ? (this.#active.spec.id ?? 'model') : null; }
  get scored(): number { return this.#scored; }
  get errors(): number { return this.#errors; }

  /** The active model's counters; reset when a model is loaded or unloaded. */
  activeCounters(): ActiveModelCounters {
    return { modelId: this.modelId, scored: this.#activeScored, errors: this.#activeErrors, p99Ms: this.#p99() };
  }

  #p99(): number {
    const n = Math.min(this.#latencyCount, LATENCY_RING);
    if (n === 0) return Number.NaN;
    const sorted = this.#latencies.slice(0, n).sort();
    return sorted[Math.min(n - 1, Math.ceil(0.99 * n) - 1)]!;
  }

  #resetActiveCounters(): void {
    this.#activeScored = 0;
    this.#activeErrors = 0;
    this.#latencyCount = 0;
  }

  /** Loads a model (EH_MODEL_INVALID if ONNX Runtime refuses it) and makes it active after the readings already offered. */
  async load(spec: ModelSpec): Promise<void> {
    const session = await OnnxSession.load(spec.model, { intraOpThreads: this.#o.intraOpThreads ?? 1 });
    const next: Active = {
      spec, session, runner: new ModelRunner(session, spec.preprocess, { task: spec.task }),
      normaliser: this.#o.normaliser(), detector: this.#o.detector(), columns: new Map(),
    };
    await this.#enqueue(async () => {
      const old = this.#active;
      this.#active = next;
      this.#resetActiveCounters();
      await old?.session.close();
      if (spec.calibration && spec.calibration.length > 0) {
        await this.#score(spec.stream, spec.calibrationFeatures ?? spec.preprocess.features, spec.calibration, true);
      }
    });
    this.#o.logger?.info({ model: spec.id ?? 'model', stream: spec.stream, task: spec.task }, 'model active');
  }

  /** Sets (or, with null, removes) the challenger, between two readings; it outlives champion swaps. */
  setShadow(shadow: ShadowScorer | null): Promise<void> {
    return this.#enqueue(async () => {
      this.#shadow = shadow;
    });
  }

  /** Offers readings of `stream` (features in the stream's order); scored asynchronously, in order. */
  offer(stream: string, features: readonly string[], readings: readonly SensorReading[]): void {
    if (this.#active === null || readings.length === 0) return;
    void this.#enqueue(() => this.#score(stream, features, readings));
  }

  /** Resolves once every reading offered so far is scored. */
  drain(): Promise<void> {
    return this.#tail;
  }

  async close(): Promise<void> {
    await this.#enqueue(async () => {
      await this.#active?.session.close();
      this.#active = null;
      this.#resetActiveCounters();
    });
  }

  #enqueue(task: () => Promise<void>): Promise<void> {
    const next = this.#tail.then(task);
    this.#tail = next.catch((e: unknown) => {
      this.#errors++;
      this.#activeErrors++;
      this.#o.logger?.warn({ err: e }, 'scoring failed; readings stay buffered and are still sent');
    });
    return this.#tail;
  }

  #columnsFor(a: Active, features: readonly string[]): Int32Array {
    const key = features.join('\u0000');
    let cols = a.columns.get(key);
    if (cols === undefined) {
      cols = Int32Array.from(a.spec.preprocess.features, (f) => {
        const i = features.indexOf(f);
        if (i < 0) throw new EdgehiveError('EH_CONFIG_INVALID', `model ${a.spec.id ?? ''} needs feature "${f}" but stream ${a.spec.stream} has ${features.join(', ')}`);
        return i;
      });
      a.columns.set(key, cols);
    }
    return cols;
  }

  async #score(stream: string, features: readonly string[], readings: readonly SensorReading[], calibrating = false): Promise<void> {
    const a = this.#active;
    if (a === null || stream !== a.spec.stream) return;
    const cols = this.#columnsFor(a, features);
    const row = new Float64Array(cols.length);
    for (const r of readings) {
      for (let j = 0; j < cols.length; j++) row[j] = r.values[cols[j] as number] ?? Number.NaN;
      const t0 = performance.now();
      const result = await a.runner.push(row);
      const raw = result?.score ?? Number.NaN;
      // Only readings that ran the model: the others only filled a window.
      if (!calibrating && result !== null) this.#latencies[this.#latencyCount++ % LATENCY_RING] = performance.now() - t0;
      if (calibrating) {
        if (Number.isFinite(raw)) a.normaliser.add?.(raw);
        continue;
      }
      const normalised = Number.isFinite(raw) ? a.normaliser.update(raw) : 0;
      const decision = a.detector.update(normalised);
      this.#scored++;
      this.#activeScored++;
      const scored: ScoredReading = {
        stream, tsMs: r.tsMs, raw, score: decision.score, detection: decision.detection, modelId: a.spec.id ?? 'model',
        ...(result?.label !== undefined ? { label: result.label } : {}),
      };
      this.#o.onScore(scored);
      // The champion's result is out before the challenger runs, and nothing it does reaches it.
      const shadow = this.#shadow;
      if (shadow !== null) {
        try {
          await shadow.score(stream, features, r, scored);
        } catch (e) {
          this.shadowFailures++;
          this.#o.logger?.debug({ err: e }, 'challenger failed; the champion is unaffected');
        }
      }
    }
  }
}
