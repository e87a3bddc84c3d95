/**
 * The agent's model runner: raw readings in, one raw score per completed window out, through the
 * same preprocessing spec (WindowStream) the trainer used and one ONNX Runtime session.
 *
 * Tasks and their raw scores:
 * - anomaly (reconstruction): mean squared error between the window and the model's output;
 * - forecast: the model maps a window to the next `horizon` readings; when those readings have
 *   arrived, the score is the mean squared residual in normalised units (so it lands `horizon`
 *   rows after the window that made the forecast);
 * - classify: the model outputs class probabilities; the result carries the argmax and them, and
 *   the score is the top probability.
 *
 * `scoreRows` is the batch path for evaluation: the same scores for the same rows, computed from
 * the trainer's window function and batched inference, so a model's offline metrics describe
 * what the agent will do.
 */
import { EdgehiveError } from '../../shared/errors/index.ts';
import { createTransformState, imputeAndNormalise, transformRows, windowsOf, WindowStream, type PreprocessSpec, type TransformState } from '../../shared/features/index.ts';
import { argmax, forecastResidualScore, reconstructionScore, type OnnxSession } from '../../shared/inference/index.ts';

export type TaskKind = 'anomaly' | 'forecast' | 'classify';

export interface ModelRunnerOptions {
  readonly task: TaskKind;
  /** Forecast only: readings the model predicts; default (and checked against) the model's output size ÷ features. */
  readonly horizon?: number;
  /** Windows per inference call in `scoreRows`. */
  readonly batchSize?: number;
}

export interface RunnerResult {
  readonly score: number;
  /** classify: index of the most probable class. */
  readonly label?: number;
  /** classify: the model's output for this window. */
  readonly probabilities?: Float32Array;
}

export interface RowScores {
  /** One per row: the raw score emitted when that row arrived, NaN where none was. */
  readonly scores: Float64Array;
  /** classify: the label per row, −1 where none. */
  readonly labels?: Int32Array;
}

/** A forecast waiting for the readings it predicted (normalised, in arrival order). */
interface Pending { readonly forecast: Float32Array; readonly actual: Float32Array; got: number }

export class ModelRunner {
  readonly task: TaskKind;
  readonly spec: PreprocessSpec;
  readonly session: OnnxSession;
  readonly #nf: number;
  readonly #sample: number;
  readonly #stream: WindowStream;
  readonly #state: TransformState;
  readonly #row: Float32Array;
  readonly #batchSize: number;
  #horizon: number | undefined;
  #outSize: number | undefined;
  #pending: Pending[] = [];
  #tail: Promise<unknown> = Promise.resolve();

  constructor(session: OnnxSession, spec: PreprocessSpec, options: ModelRunnerOptions) {
    this.session = session;
    this.spec = spec;
    this.task = options.task;
    this.#nf = spec.features.length;
    this.#sample = spec.window.length * this.#nf;
    this.#stream = new WindowStream(spec);
    this.#state = createTransformState(spec);
    this.#row = new Float32Array(this.#nf);
    this.#batchSize = options.batchSize ?? 64;
    this.#horizon = options.horizon;
    if (!['anomaly', 'forecast', 'classify'].includes(this.task)) throw new EdgehiveError('EH_CONFIG_INVALID', `model runner: task must be anomaly, forecast or classify, got ${String(this.task)}`);
    if (this.#horizon !== undefined && (!Number.isInteger(this.#horizon) || this.#horizon < 1)) throw new EdgehiveError('EH_CONFIG_INVALID', `model runner: horizon must be a positive integer, got ${this.#horizon}`);
  }

  /** Forecast horizon in readings (known once the model has run, unless given). */
  get horizon(): number | undefined {
    return this.#horizon;
  }

  /**
   * Adds one raw reading (spec feature order, NaN = missing). Resolves to the score it completes,
   * or null (window still filling, not a stride step, or a forecast still waiting for readings).
   * Calls are serialised, so readings are taken in call order even if not awaited one by one.
   */
  /** The next window is due `pushes` readings from now (after the pushes already queued). */
  alignWindows(pushes: number): Promise<void> {
    const next = this.#tail.then(() => { this.#stream.setUntilNextWindow(pushes); });
    this.#tail = next.catch(() => undefined);
    return next;
  }

  push(reading: ArrayLike<number>): Promise<RunnerResult | null> {
    const copy = Float64Array.from(reading as ArrayLike<number>);
    const next = this.#tail.then(() => this.#push(copy));
    this.#tail = next.catch(() => undefined);
    return next;
  }

  async #push(reading: Float64Array): Promise<RunnerResult | null> {
    if (reading.length !== this.#nf) throw new EdgehiveError('EH_BAD_REQUEST', `reading has ${reading.length} values, the model's spec has ${this.#nf} features (${this.spec.features.join(', ')})`);
    let result: RunnerResult | null = null;
    if (this.task === 'forecast') result = this.#resolveForecasts(reading);
    const window = this.#stream.push(reading);
    if (window === null) return result;
    const out = await this.session.run(window, [1, this.spec.window.length, this.#nf]);
    this.#checkOutput(out.data.length);
    switch (this.task) {
      case 'anomaly':
        return { score: reconstructionScore(window, out.data) };
      case 'classify': {
        const label = argmax(out.data);
        return { score: out.data[label] as number, label, probabilities: out.data.slice() };
      }
      case 'forecast':
        this.#pending.push({ forecast: out.data.slice(), actual: new Float32Array(out.data.length), got: 0 });
        return result;
    }
  }

  /** Compares a new reading with every forecast still waiting; returns the one it completes. */
  #resolveForecasts(reading: Float64Array): RunnerResult | null {
    const row = imputeAndNormalise(reading, this.spec, this.#state, this.#row);
    let done: RunnerResult | null = null;
    for (const p of this.#pending) {
      p.actual.set(row, p.got * this.#nf);
      if (++p.got === this.#horizon) done = { score: forecastResidualScore(p.forecast, p.actual) };
    }
    // Forecasts are made in order and complete in order: only the oldest can be finished.
    if (done !== null) this.#pending.shift();
    return done;
  }

  #checkOutput(size: number): void {
    if (this.#outSize === size) return;
    const nf = this.#nf;
    if (this.task === 'anomaly' && size !== this.#sample) {
      throw new EdgehiveError('EH_MODEL_INVALID', `anomaly model outputs ${size} values per window; reconstruction needs ${this.#sample} (window ${this.spec.window.length} × ${nf} features)`);
    }
    if (this.task === 'forecast') {
      if (size % nf !== 0) throw new EdgehiveError('EH_MODEL_INVALID', `forecast model outputs ${size} values per window, not a whole number of ${nf}-feature readings`);
      if (this.#horizon !== undefined && this.#horizon !== size / nf) throw new EdgehiveError('EH_MODEL_INVALID', `forecast model predicts ${size / nf} readings, the runner was told horizon ${this.#horizon}`);
      this.#horizon = size / nf;
    }
    if (this.task === 'classify' && size < 1) throw new EdgehiveError('EH_MODEL_INVALID', 'classify model outputs no class probabilities');
    this.#outSize = size;
  }

  /**
   * Batch path: scores every row of a series from the start, as a fresh runner pushed the same
   * rows would. Used by evaluation, so offline metrics are the agent's numbers.
   */
  async scoreRows(rows: readonly ArrayLike<number>[]): Promise<RowScores> {
    const { length: L, stride } = this.spec.window;
    const nf = this.#nf;
    const matrix = transformRows(rows, this.spec);
    const win = windowsOf(matrix, this.spec.window);
    const n = win.shape[0];
    const scores = new Float64Array(rows.length).fill(NaN);
    const labels = this.task === 'classify' ? new Int32Array(rows.length).fill(-1) : undefined;
    for (let b0 = 0; b0 < n; b0 += this.#batchSize) {
      const b = Math.min(this.#batchSize, n - b0);
      const out = await this.session.run(win.data.subarray(b0 * this.#sample, (b0 + b) * this.#sample), [b, L, nf]);
      const per = out.data.length / b;
      this.#checkOutput(per);
      for (let k = 0; k < b; k++) {
        const w = b0 + k;
        const end = w * stride + L - 1; // the row whose arrival completes window w
        const output = out.data.subarray(k * per, (k + 1) * per);
        if (this.task === 'anomaly') scores[end] = reconstructionScore(win.data.subarray(w * this.#sample, (w + 1) * this.#sample), output);
        else if (this.task === 'classify') {
          const label = argmax(output);
          (labels as Int32Array)[end] = label;
          scores[end] = output[label] as number;
        } else {
          const h = per / nf;
          if (end + h >= rows.length) continue; // its readings have not all arrived
          scores[end + h] = forecastResidualScore(output, matrix.data.subarray((end + 1) * nf, (end + 1 + h) * nf));
        }
      }
    }
    return labels ? { scores, labels } : { scores };
  }

  /** Forgets the stream (after a gap or a model swap); the session stays open. */
  reset(): void {
    this.#stream.reset();
    this.#state.last.fill(0);
    this.#state.seen.fill(0);
    this.#pending = [];
  }
}
