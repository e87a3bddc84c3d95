/**
 * A direct path to onnxruntime-node's native session (decision 0015). The public
 * `InferenceSession.run` validates its arguments, then defers the (synchronous) native call to
 * the next event-loop turn with setImmediate and wraps every output in a new Tensor. On the small
 * models a device runs, that wrapper is a fifth of the call: about 2 µs of the 9–12 µs a 2 kFLOP
 * model takes on the hub, more on a slower CPU. The native session is the one the public API
 * builds: the same model, options, kernels and outputs; only the JavaScript around it goes.
 *
 * The native binding is not part of onnxruntime-node's public API, so it is feature-checked:
 * when the module or a method it needs is missing (another onnxruntime-node version),
 * `loadDirect` returns null and OnnxSession uses the public API. EDGEHIVE_ORT_PATH=public forces
 * that (an operator's way out, and how the tests compare the two paths).
 */
import { createRequire } from 'node:module';
import type { InferenceSession, Tensor } from 'onnxruntime-node';

/** What the native session does that OnnxSession needs. */
interface NativeSession {
  loadModel(buffer: ArrayBufferLike, byteOffset: number, byteLength: number, options: InferenceSession.SessionOptions): void;
  loadModel(path: string, options: InferenceSession.SessionOptions): void;
  run(feeds: Record<string, Tensor>, fetches: Record<string, null>, options: Record<string, never>): Record<string, Tensor>;
  dispose(): void;
  readonly inputMetadata: ReadonlyArray<{ readonly name: string }>;
  readonly outputMetadata: ReadonlyArray<{ readonly name: string }>;
}

interface NativeModule {
  binding: { InferenceSession: new () => NativeSession };
  initOrt: () => void;
}

export type OrtPath = 'direct' | 'public';

let native: NativeModule | null | undefined;

function nativeModule(): NativeModule | null {
  if (native !== undefined) return native;
  try {
    const m = createRequire(import.meta.url)('onnxruntime-node/dist/binding') as Partial<NativeModule>;
    const proto = m.binding?.InferenceSession?.prototype as Partial<NativeSession> | undefined;
    native = typeof m.initOrt === 'function' && typeof proto?.loadModel === 'function' && typeof proto.run === 'function' && typeof proto.dispose === 'function'
      ? m as NativeModule : null;
  } catch {
    native = null;
  }
  return native;
}

/** The path OnnxSession takes by default: direct unless EDGEHIVE_ORT_PATH=public or the binding is missing. */
export function defaultOrtPath(): OrtPath {
  return process.env['EDGEHIVE_ORT_PATH'] === 'public' || nativeModule() === null ? 'public' : 'direct';
}

/** A loaded native session with its first input and output names; run is synchronous. */
export class DirectSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly #s: NativeSession;
  readonly #fetches: Record<string, null>;

  private constructor(s: NativeSession) {
    this.#s = s;
    this.inputNames = s.inputMetadata.map((m) => m.name);
    this.outputNames = s.outputMetadata.map((m) => m.name);
    this.#fetches = Object.fromEntries(this.outputNames.map((n) => [n, null]));
  }

  /** Null when the native binding is not usable; throws what ORT throws for a model it refuses. */
  static load(model: Uint8Array | string, options: InferenceSession.SessionOptions): DirectSession | null {
    const m = nativeModule();
    if (!m) return null;
    m.initOrt();
    const s = new m.binding.InferenceSession();
    if (typeof model === 'string') s.loadModel(model, options);
    else s.loadModel(model.buffer, model.byteOffset, model.byteLength, options);
    return new DirectSession(s);
  }

  /** Every output, as the native session returns them (Tensors). */
  run(feeds: Record<string, Tensor>): Record<string, Tensor> {
    return this.#s.run(feeds, this.#fetches, {});
  }

  dispose(): void {
    this.#s.dispose();
  }
}
