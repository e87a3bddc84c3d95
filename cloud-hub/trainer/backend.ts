/**
 * Which TensorFlow.js backend trains. Fastest present first: the native TensorFlow bindings with
 * CUDA (`@tensorflow/tfjs-node-gpu`, installed by the operator on a GPU host), the native CPU
 * bindings (`@tensorflow/tfjs-node`, an optional dependency that needs Google's servers to
 * install), then wasm (always present; SIMD, ~50x the plain JS backend on matMul), then the plain
 * JS `cpu` backend.
 *
 * TensorFlow.js has one global backend per process (per worker thread), so the choice is made
 * once and reused; forcing another switches the global one.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { BackendName } from './engine-api.ts';

export type BackendLog = (line: string) => void;

export const BACKEND_PREFERENCE: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

/** The npm package that provides a native backend (both register tf backend 'tensorflow'). */
const NATIVE_PACKAGE: Partial<Record<BackendName, string>> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
};

// The plain cpu backend prints a "looks like you are running TensorFlow.js in Node.js" banner on
// first use, in every process and worker; the log line from selectBackend says it better.
tf.enableProdMode();

/** Native package loaded in this thread, if any; only one can be, both claim 'tensorflow'. */
let nativeLoaded: BackendName | undefined;
const probed = new Map<BackendName, boolean>();
let active: BackendName | undefined;

async function loadNative(name: BackendName): Promise<boolean> {
  const pkg = NATIVE_PACKAGE[name];
  if (pkg === undefined) return false;
  if (nativeLoaded !== undefined) return nativeLoaded === name;
  try {
    // A variable specifier keeps TypeScript and bundlers from requiring the optional package.
    const spec: string = pkg;
    await import(spec);
    nativeLoaded = name;
    return true;
  } catch {
    return false;
  }
}

/** True when `name` can be used in this process (loads native bindings on first ask). */
export async function backendAvailable(name: BackendName): Promise<boolean> {
  const known = probed.get(name);
  if (known !== undefined) return known;
  let ok: boolean;
  if (NATIVE_PACKAGE[name] !== undefined) ok = (await loadNative(name)) && tf.findBackendFactory('tensorflow') !== null;
  else ok = tf.findBackendFactory(name) !== null;
  probed.set(name, ok);
  return ok;
}

/** Every backend present here, fastest first (bench:train runs each). */
export async function availableBackends(): Promise<BackendName[]> {
  const out: BackendName[] = [];
  for (const b of BACKEND_PREFERENCE) if (await backendAvailable(b)) out.push(b);
  return out;
}

const tfName = (b: BackendName): string => (NATIVE_PACKAGE[b] !== undefined ? 'tensorflow' : b);

/**
 * Makes `forced`, or else the fastest present backend, the active one and returns its name.
 * Logs the choice once per change (the hub's log says what trains its models).
 */
export async function selectBackend(forced?: BackendName, log?: BackendLog): Promise<BackendName> {
  if (forced !== undefined && forced === active && tf.getBackend() === tfName(forced)) return forced;
  if (forced === undefined && active !== undefined && tf.getBackend() === tfName(active)) return active;
  const candidates = forced !== undefined ? [forced] : BACKEND_PREFERENCE;
  for (const b of candidates) {
    if (!(await backendAvailable(b))) continue;
    // setBackend resolves false (not a throw) when a registered backend fails to initialise.
    if (await tf.setBackend(tfName(b))) {
      await tf.ready();
      active = b;
      log?.(`TensorFlow.js backend: ${b}${forced !== undefined ? ' (forced)' : ''}`);
      return b;
    }
    probed.set(b, false);
  }
  if (forced !== undefined) {
    const pkg = NATIVE_PACKAGE[forced];
    throw new EdgehiveError('EH_CONFIG_INVALID',
      `TensorFlow.js backend '${forced}' is not available in this process` +
      (pkg !== undefined ? `: install ${pkg} (see the README, "GPU training") or pick another backend` : ': pick another backend'),
      { backend: forced });
  }
  throw new EdgehiveError('EH_TRAINING_FAILED', 'no TensorFlow.js backend could be initialised (not even cpu)');
}

/** The backend selectBackend last made active in this thread. */
export function activeBackend(): BackendName | undefined {
  return active;
}
