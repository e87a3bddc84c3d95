/**
 * Inference with TensorFlow.js from a trained ModelGraph: the reference the ONNX export is checked
 * against, and the TensorFlow.js column of bench:inference. It runs the same layer code as
 * training, in inference mode (moving BN statistics, no dropout).
 */
import * as tf from '@tensorflow/tfjs';
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { ModelGraph } from '../model/graph.ts';
import { selectBackend, type BackendLog } from './backend.ts';
import type { BackendName } from './engine-api.ts';
import { TfModel } from './tf-model.ts';

export interface TfPredictor {
  readonly backend: BackendName;
  /** `shape` includes the batch axis: [batch, ...graph.inputShape]. Returns [batch, ...outputShape] row-major. */
  predict(x: Float32Array, shape: readonly number[]): Float32Array;
  dispose(): void;
}

function checkShape(graph: ModelGraph, x: Float32Array, shape: readonly number[]): void {
  const per = shape.slice(1);
  const size = shape.reduce((a, b) => a * b, 1);
  if (per.length !== graph.inputShape.length || per.some((d, i) => d !== graph.inputShape[i]) || size !== x.length) {
    throw new EdgehiveError('EH_INFERENCE_FAILED',
      `input of shape [${shape.join(', ')}] with ${x.length} values does not match model ${graph.name}'s [batch, ${graph.inputShape.join(', ')}]`);
  }
}

/** Loads `graph` once for repeated calls (benchmarks, parity checks over many inputs). */
export async function createTfPredictor(graph: ModelGraph, backend?: BackendName, log?: BackendLog): Promise<TfPredictor> {
  const chosen = await selectBackend(backend, log);
  const model = TfModel.fromGraph(graph);
  let disposed = false;
  return {
    backend: chosen,
    predict(x, shape) {
      if (disposed) throw new EdgehiveError('EH_STATE', `predictor for ${graph.name} was disposed`);
      checkShape(graph, x, shape);
      return tf.tidy(() => model.forward(tf.tensor(x, [...shape], 'float32'), false).dataSync() as Float32Array);
    },
    dispose() {
      if (!disposed) model.dispose();
      disposed = true;
    },
  };
}

/** One-shot inference: loads, predicts, disposes. */
export async function predictGraph(graph: ModelGraph, x: Float32Array, shape: number[], backend?: BackendName): Promise<Float32Array> {
  const p = await createTfPredictor(graph, backend);
  try {
    return p.predict(x, shape);
  } finally {
    p.dispose();
  }
}
