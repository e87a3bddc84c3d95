/**
 * The training engine: fits a layer stack to (x, y) with a custom TensorFlow.js loop. Custom,
 * not tf.LayersModel.fit, because conv1d must run as unfold + matMul (wasm has no
 * Conv2DBackpropFilter), and because every random choice must come from our seeded generator so
 * that a seed reproduces a model bit for bit.
 *
 * The loop runs synchronously between batches; it yields to the event loop every ~50 ms so an
 * abort signal (or the worker's messages) can get through.
 */
import * as tf from '@tensorflow/tfjs';
import { EdgehiveError, isEdgehiveError } from '../../shared/errors/index.ts';
import type { Recipe } from '../recipes/schema.ts';
import { selectBackend, type BackendLog } from './backend.ts';
import type { EngineInput, EngineOptions, EngineOutput, EpochRecord, LossName, SampleTensor } from './engine-api.ts';
import { Prng } from './init.ts';
import { TfModel } from './tf-model.ts';

export const DEFAULT_SEED = 1;
/** Validation and inference run in chunks of this many samples (bounds memory, not results). */
const EVAL_CHUNK = 512;
const YIELD_EVERY_MS = 50;
/** Keras' epsilon for clipping probabilities in cross-entropy and for adam/rmsprop. */
const KERAS_EPSILON = 1e-7;

export interface TrainOptions extends EngineOptions {
  /** Where the backend choice is logged (the hub passes its logger's info). */
  readonly log?: BackendLog;
}

const product = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
const shapeText = (s: readonly number[]): string => `[${s.join(', ')}]`;

function makeOptimizer(training: Recipe['training']): tf.Optimizer {
  const lr = training.learningRate;
  switch (training.optimizer ?? 'adam') {
    case 'adam': return tf.train.adam(lr, 0.9, 0.999, KERAS_EPSILON);
    case 'sgd': return tf.train.sgd(lr);
    case 'rmsprop': return tf.train.rmsprop(lr, 0.9, 0, KERAS_EPSILON);
  }
}

function checkSamples(what: string, t: SampleTensor, perSample: readonly number[] | number): number {
  const n = t.shape[0] ?? 0;
  if (t.data.length !== product(t.shape)) {
    throw new EdgehiveError('EH_TRAINING_FAILED', `${what}: ${t.data.length} values do not fill shape ${shapeText(t.shape)}`);
  }
  const rest = t.shape.slice(1);
  const ok = typeof perSample === 'number' ? product(rest) === perSample : rest.length === perSample.length && rest.every((d, i) => d === perSample[i]);
  if (!ok) {
    const want = typeof perSample === 'number' ? `${perSample} values` : shapeText(perSample);
    throw new EdgehiveError('EH_TRAINING_FAILED', `${what}: each sample is ${shapeText(rest)} but the model needs ${want}: check the recipe's window, features and head`);
  }
  return n;
}

/** Per-sample loss, averaged over the batch (Keras' reduction). */
function lossOf(model: TfModel, loss: LossName, x: tf.Tensor, y: tf.Tensor, training: boolean, rng?: Prng): tf.Scalar {
  if (loss === 'mse') return tf.mean(tf.squaredDifference(model.forward(x, training, rng), y));
  if (model.hasSoftmaxHead) {
    const logits = model.forward(x, training, rng, true);
    return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(logits)), -1))) as tf.Scalar;
  }
  const p = tf.clipByValue(model.forward(x, training, rng), KERAS_EPSILON, 1 - KERAS_EPSILON);
  return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(p)), -1))) as tf.Scalar;
}

/** Mean loss over a whole split in inference mode (moving BN statistics, no dropout). */
function evaluate(model: TfModel, loss: LossName, x: SampleTensor, y: SampleTensor, outShape: readonly number[]): number {
  const n = x.shape[0]!;
  const perX = product(model.inputShape);
  const perY = product(outShape);
  let sum = 0;
  for (let s = 0; s < n; s += EVAL_CHUNK) {
    const m = Math.min(EVAL_CHUNK, n - s);
    sum += tf.tidy(() => {
      const xs = tf.tensor(x.data.subarray(s * perX, (s + m) * perX), [m, ...model.inputShape]);
      const ys = tf.tensor(y.data.subarray(s * perY, (s + m) * perY), [m, ...outShape]);
      return lossOf(model, loss, xs, ys, false).dataSync()[0]! * m;
    });
  }
  return sum / n;
}

function aborted(name: string, epoch: number): EdgehiveError {
  return new EdgehiveError('EH_TRAINING_FAILED', `training of ${name} was aborted in epoch ${epoch}`, { aborted: true, epoch });
}

const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Trains `input.layers` on `input.train`; returns the best epoch's weights as a ModelGraph. */
export async function trainGraph(input: EngineInput, options: TrainOptions = {}): Promise<EngineOutput> {
  const backend = await selectBackend(options.backend, options.log);
  const { training, loss, name } = input;
  const root = new Prng(training.seed ?? DEFAULT_SEED);
  // One generator per purpose: adding a dropout layer must not change the initial weights or batch order.
  const initRng = root.fork();
  const orderRng = root.fork();
  const dropoutRng = root.fork();

  const model = TfModel.init(name, input.inputShape, input.layers, initRng);
  const optimizer = makeOptimizer(training);
  let best: tf.Tensor[] | undefined;
  let lossAcc: tf.Tensor | undefined;
  try {
    const outShape = model.outputShape;
    const n = checkSamples('training inputs', input.train.x, input.inputShape);
    const perY = product(outShape);
    if (checkSamples('training targets', input.train.y, perY) !== n) {
      throw new EdgehiveError('EH_TRAINING_FAILED', `training inputs hold ${n} samples but targets ${input.train.y.shape[0]}`);
    }
    if (n < 1) throw new EdgehiveError('EH_DATA_INSUFFICIENT', `no training samples for ${name}: collect more data or shorten the window`);
    let val = input.validation;
    if (val) {
      const nv = checkSamples('validation inputs', val.x, input.inputShape);
      if (checkSamples('validation targets', val.y, perY) !== nv) throw new EdgehiveError('EH_TRAINING_FAILED', 'validation inputs and targets hold different sample counts');
      if (nv === 0) val = undefined;
    }
    if (loss === 'categoricalCrossentropy' && outShape.length !== 1) {
      throw new EdgehiveError('EH_MODEL_UNSUPPORTED', `categorical cross-entropy needs a [classes] output, the model gives ${shapeText(outShape)}`);
    }

    const perX = product(input.inputShape);
    const bs = Math.min(training.batchSize, n);
    const order = new Uint32Array(n).map((_, i) => i);
    const xBuf = new Float32Array(bs * perX);
    const yBuf = new Float32Array(bs * perY);
    const vars = model.trainable;
    const patience = training.earlyStopping?.patience;
    const minDelta = training.earlyStopping?.minDelta ?? 0;
    const history: EpochRecord[] = [];
    let bestValue = Infinity;
    let bestEpoch = 0;
    let waited = 0;
    let stoppedEarly = false;
    let totalMs = 0;
    let lastYield = performance.now();

    for (let epoch = 1; epoch <= training.epochs; epoch++) {
      if (options.signal?.aborted) throw aborted(name, epoch);
      const t0 = performance.now();
      orderRng.shuffle(order);
      lossAcc = tf.scalar(0);
      for (let s = 0; s < n; s += bs) {
        const m = Math.min(bs, n - s);
        for (let r = 0; r < m; r++) {
          const i = order[s + r]!;
          xBuf.set(input.train.x.data.subarray(i * perX, (i + 1) * perX), r * perX);
          yBuf.set(input.train.y.data.subarray(i * perY, (i + 1) * perY), r * perY);
        }
        const prev: tf.Tensor = lossAcc;
        lossAcc = tf.tidy(() => {
          const xs = tf.tensor(xBuf.subarray(0, m * perX), [m, ...input.inputShape]);
          const ys = tf.tensor(yBuf.subarray(0, m * perY), [m, ...outShape]);
          const cost = optimizer.minimize(() => lossOf(model, loss, xs, ys, true, dropoutRng), true, vars)!;
          // Summed on the device and read once per epoch: a read per batch would stall a GPU.
          return tf.add(prev, tf.mul(cost, m));
        });
        prev.dispose();
        if (performance.now() - lastYield > YIELD_EVERY_MS) {
          await yieldToLoop();
          lastYield = performance.now();
          if (options.signal?.aborted) throw aborted(name, epoch);
        }
      }
      const trainMs = performance.now() - t0;
      const epochLoss = (await lossAcc.data())[0]! / n;
      lossAcc.dispose();
      lossAcc = undefined;
      if (!Number.isFinite(epochLoss)) {
        throw new EdgehiveError('EH_TRAINING_FAILED',
          `loss of ${name} became ${epochLoss} in epoch ${epoch}: lower the learning rate, or check the data for missing or huge values`, { epoch });
      }
      const valLoss = val ? evaluate(model, loss, val.x, val.y, outShape) : undefined;
      const ms = performance.now() - t0;
      totalMs += ms;
      history.push(valLoss === undefined ? { epoch, loss: epochLoss, ms } : { epoch, loss: epochLoss, valLoss, ms });

      const watched = valLoss ?? epochLoss;
      if (watched < bestValue - minDelta || bestEpoch === 0) {
        bestValue = watched;
        bestEpoch = epoch;
        waited = 0;
        for (const t of best ?? []) t.dispose();
        best = model.snapshot();
      } else {
        waited++;
      }
      options.onProgress?.({
        epoch, epochs: training.epochs, loss: epochLoss, ...(valLoss === undefined ? {} : { valLoss }),
        samplesPerSecond: n / (trainMs / 1000), etaMs: (totalMs / epoch) * (training.epochs - epoch), backend,
      });
      if (patience !== undefined && waited >= patience && epoch < training.epochs) {
        stoppedEarly = true;
        break;
      }
    }
    if (best && bestEpoch !== history.length) model.restore(best);
    return { graph: model.toGraph(), history, bestEpoch, stoppedEarly, backend };
  } catch (e) {
    if (isEdgehiveError(e)) throw e;
    throw new EdgehiveError('EH_TRAINING_FAILED', `training of ${name} failed on the ${backend} backend: ${(e as Error).message}`, { backend }, { cause: e });
  } finally {
    lossAcc?.dispose();
    for (const t of best ?? []) t.dispose();
    optimizer.dispose();
    model.dispose();
  }
}

// The worker variant lives in worker.ts (its entry imports this module, so no cycle at load).
export { trainGraphInWorker } from './worker.ts';
