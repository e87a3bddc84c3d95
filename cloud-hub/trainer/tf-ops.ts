/**
 * The layer functions the engine differentiates through, written with ops whose gradients every
 * backend has, and fast on wasm. wasm has no Conv2DBackpropFilter and a slow
 * Conv2DBackpropInput, so conv1d carries its own gradient made of forward convolutions
 * (XNNPACK); an unfold into [B, T', k·C] windows and one matMul was the first version and
 * measured 2–3× slower per step (k slices and a concat each way).
 */
import * as tf from '@tensorflow/tfjs';
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { Activation } from '../recipes/schema.ts';

export interface Conv1dGeometry { readonly outLen: number; readonly padLeft: number; readonly padRight: number }

/**
 * Output length and padding of a conv1d (or pool) over `length` steps, as TensorFlow computes them:
 * valid → floor((T − k) / s) + 1; same → ceil(T / s) with total padding (out − 1)·s + k − T,
 * the odd step on the right (for stride 1: k − 1 in all, as Keras).
 */
export function conv1dGeometry(length: number, kernelSize: number, stride: number, padding: 'valid' | 'same'): Conv1dGeometry {
  if (padding === 'same') {
    const outLen = Math.ceil(length / stride);
    const total = Math.max((outLen - 1) * stride + kernelSize - length, 0);
    const padLeft = Math.floor(total / 2);
    return { outLen, padLeft, padRight: total - padLeft };
  }
  return { outLen: Math.floor((length - kernelSize) / stride) + 1, padLeft: 0, padRight: 0 };
}

type Conv = (xp: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D;
const convCache = new Map<number, Conv>();

/**
 * A 'valid' conv along W of xp [B, 1, Tp, C] with w [1, k, C, F] and stride s, whose gradients
 * are forward convolutions too: wasm's Conv2D runs on XNNPACK, while its Conv2DBackpropInput is a
 * slow loop and Conv2DBackpropFilter does not exist. Same values as tf.conv2d.
 *  dx = conv(dy dilated by s and padded by k − 1, W flipped in time with C and F swapped);
 *  dW = conv(x with batch and channels swapped, dy as the filter, dilated by s), first k columns.
 */
function convWithForwardGrads(stride: number): Conv {
  const cached = convCache.get(stride);
  if (cached) return cached;
  const conv = tf.customGrad(((xp: tf.Tensor4D, w: tf.Tensor4D, save: tf.GradSaveFunc) => {
    save([xp, w]);
    return {
      value: tf.conv2d(xp, w, [1, stride], 'valid'),
      gradFunc: (dy: tf.Tensor4D, saved: tf.Tensor[]) => {
        const [x, kernel] = saved as [tf.Tensor4D, tf.Tensor4D];
        const [b, , tp, c] = x.shape;
        const [, k, , f] = kernel.shape;
        const outLen = dy.shape[2];
        let dyd: tf.Tensor4D = dy;
        if (stride > 1) {
          // Insert stride − 1 zeros after each step, then drop the trailing ones.
          dyd = tf.reshape(tf.pad(tf.reshape(dy, [b, 1, outLen, 1, f]), [[0, 0], [0, 0], [0, 0], [0, stride - 1], [0, 0]]), [b, 1, outLen * stride, f]);
          dyd = tf.slice(dyd, [0, 0, 0, 0], [b, 1, (outLen - 1) * stride + 1, f]);
        }
        const dLen = dyd.shape[2];
        const dyPad = tf.pad(dyd, [[0, 0], [0, 0], [k - 1, tp - dLen], [0, 0]]);
        const wFlip = tf.reshape(tf.transpose(tf.reverse(tf.reshape(kernel, [k, c, f]), 0), [0, 2, 1]), [1, k, f, c]) as tf.Tensor4D;
        const dx = tf.conv2d(dyPad, wFlip, 1, 'valid');
        const xt = tf.transpose(x, [3, 1, 2, 0]); // [C, 1, Tp, B]
        const dyt = tf.transpose(dy, [1, 2, 0, 3]); // [1, T', B, F]
        let dw = tf.conv2d(xt, dyt, 1, 'valid', 'NHWC', [1, stride]); // [C, 1, Tp − s·(T'−1), F]
        if (dw.shape[2] !== k) dw = tf.slice(dw, [0, 0, 0, 0], [c, 1, k, f]);
        return [dx, tf.transpose(dw, [1, 2, 0, 3])];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as Conv;
  convCache.set(stride, conv);
  return conv;
}

/** Keras' Conv1D: out[t, f] = Σ_j Σ_c x[t·s + j − padLeft, c] · W[j, c, f] + b[f]. */
export function conv1dMatMul(
  x: tf.Tensor3D, kernel: tf.Tensor3D, bias: tf.Tensor1D, stride: number, padding: 'valid' | 'same', activation: Activation,
): tf.Tensor3D {
  const [k, c, f] = kernel.shape;
  const [b, t] = x.shape;
  const { outLen, padLeft, padRight } = conv1dGeometry(t, k, stride, padding);
  if (outLen < 1) {
    throw new EdgehiveError('EH_MODEL_UNSUPPORTED', `a kernel of ${k} does not fit an input of length ${t}: shorten the kernel or use padding 'same'`);
  }
  // Explicit padding, then 'valid': TF's own 'same' for conv2d pads the same way, but one code
  // path for both keeps the gradient (a slice of the padded dx) obvious.
  const xp = padLeft + padRight > 0 ? tf.pad(x, [[0, 0], [padLeft, padRight], [0, 0]]) : x;
  const x4 = tf.reshape(xp, [b, 1, xp.shape[1], c]) as tf.Tensor4D;
  const y = convWithForwardGrads(stride)(x4, tf.reshape(kernel, [1, k, c, f]) as tf.Tensor4D);
  return applyActivation(tf.add(tf.reshape(y, [b, outLen, f]), bias), activation) as tf.Tensor3D;
}

/**
 * matMul whose gradients transpose explicitly: wasm's matMul with a transpose flag runs 2–4×
 * slower than a transpose followed by a plain matMul.
 */
const matMulFastGrad = tf.customGrad(((a: tf.Tensor2D, b: tf.Tensor2D, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(dy, tf.transpose(sb)), tf.matMul(tf.transpose(sa), dy)];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as
  (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

/** x [N, in] · W [in, units] + b. Inference fuses bias and activation; training differentiates. */
export function denseMatMul(x: tf.Tensor2D, kernel: tf.Tensor2D, bias: tf.Tensor1D, activation: Activation, training = true): tf.Tensor2D {
  if (!training && (activation === 'linear' || activation === 'relu')) return tf.fused.matMul({ a: x, b: kernel, bias, activation }) as tf.Tensor2D;
  return applyActivation(tf.add(matMulFastGrad(x, kernel), bias), activation) as tf.Tensor2D;
}

/** Dense on the last axis of any rank (Keras applies Dense to the last axis of a rank-3 input). */
export function denseLastAxis(x: tf.Tensor, kernel: tf.Tensor2D, bias: tf.Tensor1D, activation: Activation, training = true): tf.Tensor {
  if (x.rank === 2) return denseMatMul(x as tf.Tensor2D, kernel, bias, activation, training);
  const lead = x.shape.slice(0, -1);
  const [inDim, units] = kernel.shape;
  const y = denseMatMul(tf.reshape(x, [-1, inDim]) as tf.Tensor2D, kernel, bias, activation, training);
  return tf.reshape(y, [...lead, units]);
}

export function applyActivation(x: tf.Tensor, activation: Activation): tf.Tensor {
  switch (activation) {
    case 'linear': return x;
    case 'relu': return tf.relu(x);
    case 'tanh': return tf.tanh(x);
    case 'sigmoid': return tf.sigmoid(x);
    case 'softmax': return tf.softmax(x);
  }
}

/** Keras MaxPooling1D / AveragePooling1D with padding 'valid': floor((T − p) / s) + 1 outputs. */
export function pool1d(x: tf.Tensor3D, kind: 'maxPool1d' | 'avgPool1d', poolSize: number, stride: number): tf.Tensor3D {
  const [b, t, c] = x.shape;
  const outLen = Math.floor((t - poolSize) / stride) + 1;
  if (outLen < 1) {
    throw new EdgehiveError('EH_MODEL_UNSUPPORTED', `${kind} of size ${poolSize} does not fit an input of length ${t}: use a smaller pool or a longer window`);
  }
  // The pool kernels (and their gradients) exist on every backend; a reshape + max measured 3x
  // slower in training on wasm (its broadcasting Equal in max's gradient).
  const x4 = tf.reshape(x, [b, 1, t, c]) as tf.Tensor4D;
  const y = kind === 'maxPool1d' ? tf.maxPool(x4, [1, poolSize], [1, stride], 'valid') : tf.avgPool(x4, [1, poolSize], [1, stride], 'valid');
  return tf.reshape(y, [b, outLen, c]);
}
