/**
 * bench:inference's standard TensorFlow.js column: the trained ModelGraph as a tf.LayersModel built
 * with tf.layers (graphToLayersModel, cloud-hub/export/graph-to-layers.ts), the way a TensorFlow.js
 * user runs a model, next to the trainer's own leaner forward pass (createTfPredictor).
 *
 * Before it is timed, its outputs on a few held-out windows (batch 1 and 8) are checked against the
 * fp32 ONNX model in onnxruntime-node within 1e-4, relative above |1| (checkParity, the export's
 * own check), on the backend it is timed on: the column is the same function or it is not timed.
 *
 * One call: tf.tidy(() => model.predict(tf.tensor(x), { batchSize: batch }).dataSync()) — input
 * tensor, one forward pass over the whole batch (predict's default batchSize of 32 would split
 * batch 64 in two), output read back; the same work as the createTfPredictor call.
 */
import * as tf from '@tensorflow/tfjs';
import { checkParity, graphToLayersModel } from '../../cloud-hub/export/index.ts';
import type { ModelGraph } from '../../cloud-hub/model/graph.ts';
import { selectBackend } from '../../cloud-hub/trainer/index.ts';
import { batchOf, type Call } from './inference-timing.ts';

export const LAYERS_PARITY_TOLERANCE = 1e-4;

/** The outcome of the parity check of one backend's tf.LayersModel against ORT fp32. */
export interface LayersCheck {
  readonly backend: 'cpu' | 'wasm';
  /** Checked and within tolerance: timed. */
  readonly timed: boolean;
  /** Inputs checked (each a batch of held-out windows) and values compared. */
  readonly inputs: number;
  readonly values: number;
  /** Largest |TF.js layers − ORT fp32| over the inputs checked. */
  readonly maxAbsDiff: number;
  /** Why it was not timed (build or parity failure), when it was not. */
  readonly skipped?: string;
}

export interface LayersPredictor {
  readonly model: tf.LayersModel;
  call(data: Float32Array, dims: readonly number[]): Call;
  dispose(): void;
}

/** Builds the graph as a tf.LayersModel on `backend` (made the active TF.js backend). */
export async function layersPredictor(graph: ModelGraph, backend: 'cpu' | 'wasm'): Promise<LayersPredictor> {
  await selectBackend(backend);
  const model = graphToLayersModel(graph);
  return {
    model,
    call: (data, dims) => {
      const shape = [...dims];
      const batchSize = shape[0]!;
      return () => tf.tidy(() => (model.predict(tf.tensor(data, shape, 'float32'), { batchSize }) as tf.Tensor).dataSync());
    },
    dispose: () => model.dispose(),
  };
}

/**
 * Checks `p` against the fp32 ONNX model on held-out windows `x` ([n, …sample]): one window at the
 * start, eight from the middle, one at the end. Never throws for a mismatch: returns it, named.
 */
export async function checkLayersParity(p: LayersPredictor, backend: 'cpu' | 'wasm', fp32: Uint8Array, x: Float32Array, xShape: readonly number[]): Promise<LayersCheck> {
  const [n, ...sample] = xShape as number[];
  const picks: [number, number][] = [[0, 1], [Math.floor(n! / 2), 8], [n! - 1, 1]];
  let maxAbsDiff = 0;
  let values = 0;
  let inputs = 0;
  try {
    for (const [offset, batch] of picks) {
      const report = await checkParity(p.model, fp32, { data: batchOf(x, n!, batch, offset), dims: [batch, ...sample] }, LAYERS_PARITY_TOLERANCE);
      maxAbsDiff = Math.max(maxAbsDiff, report.maxAbsDiff);
      values += report.values;
      inputs++;
    }
  } catch (e) {
    return { backend, timed: false, inputs, values, maxAbsDiff, skipped: `parity with ORT fp32 failed on input ${inputs + 1}: ${e instanceof Error ? e.message : String(e)}` };
  }
  return { backend, timed: true, inputs, values, maxAbsDiff };
}
