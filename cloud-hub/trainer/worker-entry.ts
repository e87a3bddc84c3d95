/** The worker thread's side of trainGraphInWorker (worker.ts): train, post progress and the result. */
import { parentPort, workerData } from 'node:worker_threads';
import { isEdgehiveError } from '../../shared/errors/index.ts';
import { trainGraph } from './engine.ts';
import type { WorkerMessage, WorkerRequest } from './worker.ts';

const port = parentPort;
if (port === null) throw new Error('worker-entry.ts runs only as a worker thread (see worker.ts)');
const post = (m: WorkerMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);
const { input, backend } = workerData as WorkerRequest;

try {
  const output = await trainGraph(input, {
    ...(backend ? { backend } : {}),
    onProgress: (progress) => post({ type: 'progress', progress }),
    log: (line) => post({ type: 'log', line }),
  });
  // The weights are fresh copies: hand their buffers over instead of cloning them.
  const buffers = output.graph.layers.flatMap((n) => Object.values(n).flatMap((v) => (v && typeof v === 'object' && 'data' in v && v.data instanceof Float32Array ? [v.data.buffer as ArrayBuffer] : [])));
  post({ type: 'done', output }, buffers);
} catch (e) {
  if (isEdgehiveError(e)) post({ type: 'error', code: e.code, message: e.message, ...(e.details ? { details: { ...e.details } } : {}) });
  else post({ type: 'error', code: 'EH_TRAINING_FAILED', message: `training failed in its worker: ${(e as Error).message ?? String(e)}` });
}
