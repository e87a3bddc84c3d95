/**
 * A sequential stack of engine layers: forward pass, the variables to train, snapshots for early
 * stopping, and conversion to the plain ModelGraph the rest of the pipeline uses.
 */
import * as tf from '@tensorflow/tfjs';
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { LayerSpec } from '../recipes/schema.ts';
import type { ModelGraph } from '../model/graph.ts';
import type { Prng } from './init.ts';
import { buildLayer, nodeToSpec, type EngineLayer, type ForwardContext } from './tf-layers.ts';

export class TfModel {
  readonly layers: readonly EngineLayer[];
  readonly outputShape: readonly number[];

  private constructor(readonly name: string, readonly inputShape: readonly number[], layers: EngineLayer[]) {
    this.layers = layers;
    this.outputShape = layers.length > 0 ? layers[layers.length - 1]!.outputShape : inputShape;
  }

  /** Fresh weights: glorot-uniform kernels, zero biases, BN identity, all from `rng` in layer order. */
  static init(name: string, inputShape: readonly number[], specs: readonly LayerSpec[], rng: Prng): TfModel {
    return TfModel.build(name, inputShape, specs.map((spec) => ({ spec, src: { kind: 'init', rng } as const })));
  }

  /** The trained weights of `graph`. */
  static fromGraph(graph: ModelGraph): TfModel {
    return TfModel.build(graph.name, graph.inputShape, graph.layers.map((node) => ({ spec: nodeToSpec(node), src: { kind: 'node', node } as const })));
  }

  private static build(name: string, inputShape: readonly number[], plan: { spec: LayerSpec; src: Parameters<typeof buildLayer>[3] }[]): TfModel {
    if (inputShape.length === 0 || inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
      throw new EdgehiveError('EH_MODEL_UNSUPPORTED', `input shape [${inputShape.join(', ')}] must be positive integers, e.g. [window, features]`);
    }
    const layers: EngineLayer[] = [];
    let shape = inputShape;
    try {
      plan.forEach(({ spec, src }, i) => {
        const layer = buildLayer(i, spec, shape, src);
        layers.push(layer);
        shape = layer.outputShape;
      });
    } catch (e) {
      for (const l of layers) for (const v of [...l.trainable, ...l.state]) v.dispose();
      throw e;
    }
    return new TfModel(name, inputShape, layers);
  }

  get trainable(): tf.Variable[] {
    return this.layers.flatMap((l) => l.trainable);
  }

  /** Every variable, trainable or not: what a snapshot must hold to restore an epoch exactly. */
  get allVariables(): tf.Variable[] {
    return this.layers.flatMap((l) => [...l.trainable, ...l.state]);
  }

  /** True when the last layer ends in softmax, so forward(…, logits) can stop before it. */
  get hasSoftmaxHead(): boolean {
    return this.layers[this.layers.length - 1]?.logits !== undefined;
  }

  /** The network's output; with `logits` (and a softmax head), the last layer's input to softmax. */
  forward(x: tf.Tensor, training: boolean, rng?: Prng, logits = false): tf.Tensor {
    const ctx: ForwardContext = rng ? { training, rng } : { training };
    let y = x;
    const last = this.layers.length - 1;
    this.layers.forEach((l, i) => {
      y = i === last && logits && l.logits ? l.logits(y) : l.apply(y, ctx);
    });
    return y;
  }

  /** Copies of every variable's value (kept outside any tidy scope). */
  snapshot(): tf.Tensor[] {
    return this.allVariables.map((v) => tf.keep(v.clone()));
  }

  restore(snap: readonly tf.Tensor[]): void {
    this.allVariables.forEach((v, i) => v.assign(snap[i]!));
  }

  toGraph(): ModelGraph {
    return { name: this.name, inputShape: [...this.inputShape], outputShape: [...this.outputShape], layers: this.layers.map((l) => l.toNode()) };
  }

  dispose(): void {
    for (const v of this.allVariables) v.dispose();
  }
}
