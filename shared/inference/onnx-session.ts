/**
 * One ONNX Runtime session over one model, with the single-input single-output shape every
 * edgehive model has (input [batch, …sample], output [batch, …]). Both the hub (evaluation,
 * profiling, calibration) and the agent (scoring) go through this, so they load and run models
 * the same way and their numbers agree.
 *
 * onnxruntime-node is imported lazily: an agent without a model never pays for the native
 * library (about 30 MB resident), which is most of its memory budget.
 */
import type * as OrtModule from 'onnxruntime-node';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { EdgehiveError } from '../errors/index.ts';
import { defaultOrtPath, DirectSession, type OrtPath } from './ort-direct.ts';

type Ort = typeof OrtModule;
let ortModule: Promise<Ort> | undefined;
/** The onnxruntime-node module, loaded on first use. */
export function loadOrt(): Promise<Ort> {
  ortModule ??= import('onnxruntime-node');
  return ortModule;
}

export interface OnnxSessionOptions {
  /** Threads for one operator; default 1, the honest figure for a small device. */
  readonly intraOpThreads?: number;
  /** 'all' (default) lets ORT fuse QDQ pairs into integer kernels. */
  readonly optimization?: 'disabled' | 'basic' | 'extended' | 'all';
  /** 'direct' (default where available): ORT's native session, called synchronously (ort-direct.ts). */
  readonly path?: OrtPath;
}

export interface RunResult {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

export class OnnxSession {
  readonly inputName: string;
  readonly outputName: string;
  /** Which way calls reach ORT: its native session directly, or the public InferenceSession. */
  readonly path: OrtPath;
  readonly #session: InferenceSession | null;
  readonly #direct: DirectSession | null;
  readonly #ort: Ort;

  private constructor(ort: Ort, session: InferenceSession | null, direct: DirectSession | null) {
    this.#ort = ort;
    this.#session = session;
    this.#direct = direct;
    this.path = direct ? 'direct' : 'public';
    const input = (direct ?? session)!.inputNames[0];
    const output = (direct ?? session)!.outputNames[0];
    if (input === undefined || output === undefined) {
      throw new EdgehiveError('EH_MODEL_INVALID', 'model has no input or no output; export a model with one input and one output');
    }
    this.inputName = input;
    this.outputName = output;
  }

  /** Loads a model from its bytes or a file path. Throws EH_MODEL_INVALID when ORT refuses it. */
  static async load(model: Uint8Array | string, options: OnnxSessionOptions = {}): Promise<OnnxSession> {
    const ort = await loadOrt();
    const opts: InferenceSession.SessionOptions = {
      intraOpNumThreads: options.intraOpThreads ?? 1,
      interOpNumThreads: 1,
      graphOptimizationLevel: options.optimization ?? 'all',
      executionMode: 'sequential',
    };
    try {
      if ((options.path ?? defaultOrtPath()) === 'direct') {
        const direct = DirectSession.load(model, opts);
        if (direct) return new OnnxSession(ort, null, direct);
      }
      const session = typeof model === 'string'
        ? await ort.InferenceSession.create(model, opts)
        : await ort.InferenceSession.create(model, opts);
      return new OnnxSession(ort, session, null);
    } catch (e) {
      if (e instanceof EdgehiveError) throw e;
      throw new EdgehiveError('EH_MODEL_INVALID', `ONNX Runtime cannot load the model: ${(e as Error).message}`, undefined, { cause: e });
    }
  }

  /** Runs one batch: `data` row-major with shape `dims` (batch first). Returns the first output. */
  async run(data: Float32Array, dims: readonly number[]): Promise<RunResult> {
    const expected = dims.reduce((a, b) => a * b, 1);
    if (data.length !== expected) {
      throw new EdgehiveError('EH_INFERENCE_FAILED', `input has ${data.length} values but shape [${dims.join(', ')}] needs ${expected}`);
    }
    const tensor = new this.#ort.Tensor('float32', data, [...dims]);
    let out: Tensor | undefined;
    try {
      const feeds = { [this.inputName]: tensor };
      const results = this.#direct ? this.#direct.run(feeds) : await this.#session!.run(feeds);
      out = results[this.outputName];
    } catch (e) {
      throw new EdgehiveError('EH_INFERENCE_FAILED', `inference failed for input shape [${dims.join(', ')}]: ${(e as Error).message}`, undefined, { cause: e });
    }
    if (!out || out.type !== 'float32') throw new EdgehiveError('EH_INFERENCE_FAILED', `model output ${this.outputName} is not float32`);
    return { data: out.data as Float32Array, dims: out.dims };
  }

  async close(): Promise<void> {
    if (this.#direct) this.#direct.dispose();
    else await this.#session!.release();
  }
}
