/**
 * The challenger's side of a shadow run: a second ONNX Runtime session with its own runner,
 * normaliser and detector, fed by the ModelHost with each reading right after the champion scored
 * it. Its output is only counted, never acted on; its failures are its own (counted, logged at
 * most once per interval) and never reach the champion or data collection.
 */
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { OnnxSession } from '../../shared/inference/index.ts';
import type { Logger } from '../../shared/log/logger.ts';
import type { BundleModelSpec } from '../bundles/bundle-model.ts';
import type { Detector, ScoredReading, ScoreNormaliser, ShadowScorer } from '../runtime/model-host.ts';
import { ModelRunner } from '../runtime/model-runner.ts';
import type { SensorReading } from '../sensors/types.ts';
import { RateLimitedLog } from '../util/rate-limited-log.ts';
import { ShadowStats } from './shadow-stats.ts';

export interface ChallengerOptions {
  readonly spec: BundleModelSpec;
  readonly session: OnnxSession;
  readonly normaliser: ScoreNormaliser;
  readonly detector: Detector;
  readonly logger: Logger;
}

export class Challenger implements ShadowScorer {
  readonly stats = new ShadowStats();
  readonly #o: ChallengerOptions;
  readonly #runner: ModelRunner;
  readonly #columns = new Map<string, Int32Array>();
  readonly #errorLog: RateLimitedLog;
  #closed = false;

  constructor(o: ChallengerOptions) {
    this.#o = o;
    this.#runner = new ModelRunner(o.session, o.spec.preprocess, { task: o.spec.task });
    this.#errorLog = new RateLimitedLog(o.logger, 10_000);
  }

  get bundleId(): string { return this.#o.spec.bundle.id; }

  async score(stream: string, features: readonly string[], reading: SensorReading, champion: ScoredReading): Promise<void> {
    if (this.#closed || stream !== this.#o.spec.stream) return;
    let result;
    let ms: number;
    try {
      const cols = this.#columnsFor(features);
      const row = new Float64Array(cols.length);
      for (let j = 0; j < cols.length; j++) row[j] = reading.values[cols[j] as number] ?? Number.NaN;
      const t0 = performance.now();
      result = await this.#runner.push(row);
      ms = performance.now() - t0;
    } catch (e) {
      this.stats.error();
      this.#errorLog.warn('score', { err: (e as Error).message, bundle: this.bundleId.slice(0, 12), errors: this.stats.errors }, 'challenger scoring failed; the champion is unaffected');
      return;
    }
    if (result === null) {
      // The challenger counts its stride from its own first reading; started mid-stream it would
      // score other readings than the champion and never be compared. When the champion has just
      // scored, line the challenger's next window up with the champion's.
      if (Number.isFinite(champion.raw)) await this.#runner.alignWindows(this.#o.spec.preprocess.window.stride);
      return;
    }
    this.stats.latency(ms);
    const raw = result.score;
    const normalised = Number.isFinite(raw) ? this.#o.normaliser.update(raw) : 0;
    const decision = this.#o.detector.update(normalised);
    // Only readings both models scored are compared: a window that filled for one only says nothing.
    if (!Number.isFinite(champion.raw)) return;
    this.stats.add(
      { score: champion.score, detection: champion.detection, label: champion.label },
      { score: decision.score, detection: decision.detection, label: result.label },
    );
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#o.session.close();
  }

  #columnsFor(features: readonly string[]): Int32Array {
    const key = features.join('\u0000');
    let cols = this.#columns.get(key);
    if (cols === undefined) {
      cols = Int32Array.from(this.#o.spec.preprocess.features, (f) => {
        const i = features.indexOf(f);
        if (i < 0) throw new EdgehiveError('EH_CONFIG_INVALID', `challenger ${this.#o.spec.id ?? ''} needs feature "${f}" but stream ${this.#o.spec.stream} has ${features.join(', ')}`);
        return i;
      });
      this.#columns.set(key, cols);
    }
    return cols;
  }
}
