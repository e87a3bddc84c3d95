/**
 * Windows of transformed readings, the model's input: window k holds rows
 * [k·stride, k·stride + length), so n rows give ⌊(n − length) / stride⌋ + 1 windows (0 when
 * n < length). The batch path (trainer) and the stream (agent) emit the same windows, bit for bit.
 */
import { EdgehiveError } from '../errors/index.ts';
import { createTransformState, imputeAndNormalise, resetTransformState, transformRows, type FeatureMatrix, type TransformState } from './transform.ts';
import type { PreprocessSpec, WindowSpec } from './spec-schema.ts';

/** Tensor data, row-major, shape [windows, length, features]. */
export interface WindowTensor {
  readonly data: Float32Array;
  readonly shape: readonly [windows: number, length: number, features: number];
}

export function windowCount(rows: number, window: WindowSpec): number {
  return rows < window.length ? 0 : Math.floor((rows - window.length) / window.stride) + 1;
}

/** Windows of rows already transformed (e.g. by `transformRows`). */
export function windowsOf(matrix: FeatureMatrix, window: WindowSpec): WindowTensor {
  const [rows, nf] = matrix.shape;
  const { length, stride } = window;
  const n = windowCount(rows, window);
  const data = new Float32Array(n * length * nf);
  for (let k = 0; k < n; k++) {
    const start = k * stride * nf;
    data.set(matrix.data.subarray(start, start + length * nf), k * length * nf);
  }
  return { data, shape: [n, length, nf] };
}

/** The trainer's path: raw rows (NaN = missing) → transformed → windows, per the spec. */
export function windows(rows: readonly ArrayLike<number>[], spec: PreprocessSpec): WindowTensor {
  return windowsOf(transformRows(rows, spec), spec.window);
}

/**
 * The agent's path: push raw readings one at a time; once `length` readings are buffered, every
 * `stride`-th push returns a window ([length, features] row-major, oldest reading first), other
 * pushes return null. Memory is one window (a ring of `length` rows) whatever the stride.
 */
export class WindowStream {
  readonly spec: PreprocessSpec;
  readonly #nf: number;
  readonly #length: number;
  readonly #ring: Float32Array;
  readonly #state: TransformState;
  /** Ring slot the next reading goes to. */
  #next = 0;
  #buffered = 0;
  /** Pushes until the next window is due. */
  #untilNext: number;

  constructor(spec: PreprocessSpec) {
    this.spec = spec;
    this.#nf = spec.features.length;
    this.#length = spec.window.length;
    this.#ring = new Float32Array(this.#length * this.#nf);
    this.#state = createTransformState(spec);
    this.#untilNext = this.#length;
  }

  /** Readings held (at most `length`). */
  get buffered(): number {
    return this.#buffered;
  }

  /** Pushes until the next window (1 means the next push emits one). */
  get untilNextWindow(): number {
    return this.#untilNext;
  }

  /**
   * Makes the next window due `pushes` readings from now (never before the ring is full): a
   * second model started mid-stream lines its windows up with the first's.
   */
  setUntilNextWindow(pushes: number): void {
    this.#untilNext = Math.max(1, Math.floor(pushes), this.#length - this.#buffered);
  }

  /**
   * Adds one raw reading. Returns the window it completes, written into `out` when given (length ×
   * features values), else into a new array; null when no window is due.
   */
  push(reading: ArrayLike<number>, out?: Float32Array): Float32Array | null {
    const nf = this.#nf;
    const size = this.#length * nf;
    if (out && out.length < size) throw new EdgehiveError('EH_BAD_REQUEST', `output has room for ${out.length} values, a window has ${size}`);
    const slot = this.#next;
    imputeAndNormalise(reading, this.spec, this.#state, this.#ring.subarray(slot * nf, (slot + 1) * nf));
    this.#next = (slot + 1) % this.#length;
    if (this.#buffered < this.#length) this.#buffered++;
    if (--this.#untilNext > 0) return null;
    this.#untilNext = this.spec.window.stride;
    const dst = out ?? new Float32Array(size);
    // The ring is full here; its oldest row is the slot the next reading will overwrite.
    const split = this.#next * nf;
    dst.set(this.#ring.subarray(split), 0);
    dst.set(this.#ring.subarray(0, split), size - split);
    return dst;
  }

  /** Starts over: empty buffer, no carried values (after a gap, or a new bundle's spec). */
  reset(): void {
    this.#next = 0;
    this.#buffered = 0;
    this.#untilNext = this.#length;
    this.#ring.fill(0);
    resetTransformState(this.#state);
  }
}
