/**
 * trainGraph in a worker thread, so the hub keeps serving (ingest, API) while a model trains:
 * the engine is synchronous between batches and would otherwise hold the event loop for minutes.
 *
 * The worker file sits next to this module with this module's extension: .js in the compiled
 * build, .ts under tsx. Node 20 does not apply the parent's `--import tsx` hooks to a worker
 * (measured: "Unknown file extension .ts"), so a .ts entry is started through a one-line
 * bootstrap that registers tsx in the worker first.
 */
import { Worker } from 'node:worker_threads';
import { EdgehiveError, type ErrorCode } from '../../shared/errors/index.ts';
import type { EngineInput, EngineOptions, EngineOutput, TrainProgress } from './engine-api.ts';

/** Messages from the worker. */
export type WorkerMessage =
  | { readonly type: 'progress'; readonly progress: TrainProgress }
  | { readonly type: 'log'; readonly line: string }
  | { readonly type: 'done'; readonly output: EngineOutput }
  | { readonly type: 'error'; readonly code: ErrorCode; readonly message: string; readonly details?: Record<string, unknown> };

export interface WorkerRequest { readonly input: EngineInput; readonly backend?: EngineOptions['backend'] }

function workerUrl(): URL {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./worker-entry${ext}`, import.meta.url);
}

function workerScript(entry: URL): URL {
  if (!entry.pathname.endsWith('.ts')) return entry;
  // Absolute URLs: a data: module cannot resolve bare specifiers.
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const code = `const { register } = await import(${JSON.stringify(tsxApi)}); register(); await import(${JSON.stringify(entry.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

/** Same result as trainGraph(input, options) with the same seed and backend, off the main thread. */
export function trainGraphInWorker(input: EngineInput, options: EngineOptions & { log?: (line: string) => void } = {}): Promise<EngineOutput> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new EdgehiveError('EH_TRAINING_FAILED', `training of ${input.name} was aborted before it started`, { aborted: true }));
      return;
    }
    const url = workerUrl();
    const request: WorkerRequest = options.backend ? { input, backend: options.backend } : { input };
    const worker = new Worker(workerScript(url), { workerData: request });
    let settled = false;
    const finish = (f: () => void): void => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      f();
    };
    // terminate() stops a synchronous training loop at once; a message would wait for the next yield.
    const onAbort = (): void => {
      finish(() => reject(new EdgehiveError('EH_TRAINING_FAILED', `training of ${input.name} was aborted`, { aborted: true })));
      void worker.terminate();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: WorkerMessage) => {
      switch (m.type) {
        case 'progress': options.onProgress?.(m.progress); break;
        case 'log': options.log?.(m.line); break;
        case 'done': finish(() => resolve(m.output)); void worker.terminate(); break;
        case 'error': finish(() => reject(new EdgehiveError(m.code, m.message, m.details))); void worker.terminate(); break;
      }
    });
    worker.on('error', (e) => finish(() => reject(new EdgehiveError('EH_TRAINING_FAILED', `training worker for ${input.name} crashed: ${e.message}`, undefined, { cause: e }))));
    worker.on('exit', (code) => finish(() => reject(new EdgehiveError('EH_TRAINING_FAILED', `training worker for ${input.name} exited (code ${code}) without a result`))));
  });
}
