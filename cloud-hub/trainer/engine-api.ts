/**
 * The contract between the recipe side of training (data, splits, the model plan with its head)
 * and the engine that fits weights with TensorFlow.js. The engine knows tensors and layers, not
 * recipes, stores or tasks beyond the loss; the recipe side knows no TensorFlow.js.
 */
import type { LayerSpec, Recipe } from '../recipes/schema.ts';
import type { ModelGraph } from '../model/graph.ts';

/** Row-major samples: shape[0] is the sample axis. */
export interface SampleTensor {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

export type LossName = 'mse' | 'categoricalCrossentropy';

export interface EngineInput {
  readonly name: string;
  /** Per-sample input shape, e.g. [window, features]. */
  readonly inputShape: readonly number[];
  /** All layers in order, the task's head included (the engine adds nothing). */
  readonly layers: readonly LayerSpec[];
  readonly loss: LossName;
  readonly train: { readonly x: SampleTensor; readonly y: SampleTensor };
  /** Used for early stopping and reported each epoch; absent → early stopping watches train loss. */
  readonly validation?: { readonly x: SampleTensor; readonly y: SampleTensor };
  readonly training: Recipe['training'];
}

export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

export interface TrainProgress {
  readonly epoch: number;
  readonly epochs: number;
  readonly loss: number;
  readonly valLoss?: number;
  readonly samplesPerSecond: number;
  /** Estimated time left if every remaining epoch runs (early stopping may end sooner). */
  readonly etaMs: number;
  readonly backend: BackendName;
  /** Seed ensembles (training.ensemble): which member is training, 1-based, of how many; epoch/epochs then run over all members. */
  readonly member?: { readonly index: number; readonly of: number };
}

export interface EpochRecord { readonly epoch: number; readonly loss: number; readonly valLoss?: number; readonly ms: number }

export interface EngineOutput {
  /** Weights of the best epoch (lowest validation loss, or train loss without validation). */
  readonly graph: ModelGraph;
  readonly history: readonly EpochRecord[];
  readonly bestEpoch: number;
  readonly stoppedEarly: boolean;
  readonly backend: BackendName;
}

export interface EngineOptions {
  readonly onProgress?: (p: TrainProgress) => void;
  readonly signal?: AbortSignal;
  /** Force a backend (tests, bench:train); default: the fastest present. */
  readonly backend?: BackendName;
}
