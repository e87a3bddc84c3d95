/**
 * ModelGraph → ONNX (IR 8, opset 17), one input [batch, …inputShape] and one output
 * [batch, …outputShape], the batch axis symbolic.
 *
 * Layout: the graph is Keras' channels-last, ONNX Conv and pooling want channels-first [N, C, T].
 * Activations are transposed to channels-first when a conv/pool block starts and back only where
 * a layer needs the Keras order (dense, flatten, reshape, the graph output), so a conv → pool →
 * conv → globalAvgPool stack pays one Transpose. Element-wise layers, softmax and an unfolded BN
 * work in whichever layout they are given.
 *
 * Dense on a rank-2 activation is a Gemm (what ORT's quantiser turns into an integer kernel
 * directly); on [N, T, C] it is MatMul over the last axis + Add.
 */
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { Activation } from '../recipes/schema.ts';
import type { Conv1dNode, DenseNode, ModelGraph } from '../model/graph.ts';
import { DataType, IR_VERSION, OPSET, attr, encodeModel, floatTensor, int64Tensor, node, tensorValueInfo, type onnx } from '../onnx/index.ts';
import { affineOf, prepareLayers, type PreparedLayer } from './prepare.ts';

export interface ExportOptions {
  readonly inputName?: string;
  readonly outputName?: string;
  readonly producerVersion?: string;
  readonly docString?: string;
  /** Written as the model's metadata_props (e.g. recipe name, preprocessing hash). */
  readonly metadata?: Readonly<Record<string, string>>;
}

export const PRODUCER_NAME = 'edgehive';
export const BATCH_DIM = 'batch';

/** The tensor flowing between layers: its per-sample Keras shape and how it is laid out. */
interface Cursor {
  readonly name: string;
  readonly shape: readonly number[];
  /** True when a [T, C] sample is held as [C, T] (ONNX Conv's layout). */
  readonly channelsFirst: boolean;
}

class GraphWriter {
  readonly nodes: onnx.INodeProto[] = [];
  readonly initializers: onnx.ITensorProto[] = [];

  /** Adds a node whose node name and output tensor name are both `name`. */
  op(opType: string, inputs: readonly string[], name: string, attributes: readonly onnx.IAttributeProto[] = []): string {
    this.nodes.push(node(opType, inputs, [name], attributes, name));
    return name;
  }

  floats(name: string, dims: readonly number[], data: Float32Array): string {
    this.initializers.push(floatTensor(name, dims, data));
    return name;
  }

  ints(name: string, data: readonly number[]): string {
    this.initializers.push(int64Tensor(name, [data.length], data));
    return name;
  }
}

function toChannelsFirst(w: GraphWriter, c: Cursor, prefix: string): Cursor {
  if (c.channelsFirst) return c;
  return { ...c, name: w.op('Transpose', [c.name], `${prefix}.to_channels_first`, [attr('perm', [0, 2, 1])]), channelsFirst: true };
}

/**
 * Back to Keras' order. With `dataOnly` (the next op only reads the values in row-major order,
 * e.g. flatten) a [C, 1] or [1, C] sample needs no Transpose: both orders hold the same bytes.
 */
function toChannelsLast(w: GraphWriter, c: Cursor, prefix: string, dataOnly = false): Cursor {
  if (!c.channelsFirst) return c;
  if (dataOnly && c.shape.some((d) => d === 1)) return { ...c, channelsFirst: false };
  return { ...c, name: w.op('Transpose', [c.name], `${prefix}.to_channels_last`, [attr('perm', [0, 2, 1])]), channelsFirst: false };
}

function activation(w: GraphWriter, c: Cursor, act: Activation, prefix: string): Cursor {
  switch (act) {
    case 'linear': return c;
    case 'relu': return { ...c, name: w.op('Relu', [c.name], `${prefix}.relu`) };
    case 'tanh': return { ...c, name: w.op('Tanh', [c.name], `${prefix}.tanh`) };
    case 'sigmoid': return { ...c, name: w.op('Sigmoid', [c.name], `${prefix}.sigmoid`) };
    case 'softmax': {
      // Keras' softmax is over the channel axis: the last in its layout, axis 1 in channels-first.
      const axis = c.channelsFirst ? 1 : -1;
      return { ...c, name: w.op('Softmax', [c.name], `${prefix}.softmax`, [attr('axis', axis)]) };
    }
  }
}

function dense(w: GraphWriter, c0: Cursor, l: PreparedLayer & { node: DenseNode }, prefix: string): Cursor {
  const c = toChannelsLast(w, c0, prefix);
  const n = l.node;
  const kernel = w.floats(`${prefix}.kernel`, n.kernel.shape, n.kernel.data);
  const bias = w.floats(`${prefix}.bias`, n.bias.shape, n.bias.data);
  let name: string;
  if (c.shape.length === 1) {
    name = w.op('Gemm', [c.name, kernel, bias], `${prefix}.gemm`);
  } else {
    name = w.op('Add', [w.op('MatMul', [c.name, kernel], `${prefix}.matmul`), bias], `${prefix}.add`);
  }
  return activation(w, { name, shape: l.outShape, channelsFirst: false }, n.activation, prefix);
}

/** TensorFlow's 'same' padding: the total split with the extra step on the right. */
export function samePads(length: number, kernel: number, stride: number): [number, number] {
  const total = Math.max((Math.ceil(length / stride) - 1) * stride + kernel - length, 0);
  const left = Math.floor(total / 2);
  return [left, total - left];
}

function conv1d(w: GraphWriter, c0: Cursor, l: PreparedLayer & { node: Conv1dNode }, prefix: string): Cursor {
  const c = toChannelsFirst(w, c0, prefix);
  const n = l.node;
  const [k, cin, cout] = [n.kernelSize, l.inShape[1] as number, n.filters];
  // Keras [k, in, out] → ONNX [out, in, k].
  const wt = new Float32Array(k * cin * cout);
  for (let t = 0; t < k; t++) for (let i = 0; i < cin; i++) for (let o = 0; o < cout; o++) wt[(o * cin + i) * k + t] = n.kernel.data[(t * cin + i) * cout + o] as number;
  const kernel = w.floats(`${prefix}.kernel`, [cout, cin, k], wt);
  const bias = w.floats(`${prefix}.bias`, [cout], n.bias.data);
  const pads = n.padding === 'same' ? samePads(l.inShape[0] as number, k, n.stride) : [0, 0];
  const name = w.op('Conv', [c.name, kernel, bias], `${prefix}.conv`, [
    attr('kernel_shape', [k]), attr('strides', [n.stride]), attr('pads', pads), attr('dilations', [1]),
  ]);
  return activation(w, { name, shape: l.outShape, channelsFirst: true }, n.activation, prefix);
}

function emitLayer(w: GraphWriter, c: Cursor, l: PreparedLayer): Cursor {
  const n = l.node;
  const prefix = `${n.kind}_${l.index}`;
  switch (n.kind) {
    case 'dense': return dense(w, c, { ...l, node: n }, prefix);
    case 'conv1d': return conv1d(w, c, { ...l, node: n }, prefix);
    case 'maxPool1d':
    case 'avgPool1d': {
      const cf = toChannelsFirst(w, c, prefix);
      const name = w.op(n.kind === 'maxPool1d' ? 'MaxPool' : 'AveragePool', [cf.name], `${prefix}.pool`, [attr('kernel_shape', [n.poolSize]), attr('strides', [n.stride])]);
      return { name, shape: l.outShape, channelsFirst: true };
    }
    case 'globalAvgPool1d': {
      if (c.channelsFirst) {
        const pooled = w.op('GlobalAveragePool', [c.name], `${prefix}.pool`);
        return { name: w.op('Flatten', [pooled], `${prefix}.flatten`, [attr('axis', 1)]), shape: l.outShape, channelsFirst: false };
      }
      return { name: w.op('ReduceMean', [c.name], `${prefix}.mean`, [attr('axes', [1]), attr('keepdims', 0)]), shape: l.outShape, channelsFirst: false };
    }
    case 'flatten': {
      if (c.shape.length === 1) return c;
      const cl = toChannelsLast(w, c, prefix, true);
      return { name: w.op('Flatten', [cl.name], `${prefix}.flatten`, [attr('axis', 1)]), shape: l.outShape, channelsFirst: false };
    }
    case 'reshape': {
      const cl = toChannelsLast(w, c, prefix, true);
      // 0 copies the batch dimension from the input (allowzero = 0), so any batch size works.
      const shape = w.ints(`${prefix}.shape`, [0, ...n.shape]);
      return { name: w.op('Reshape', [cl.name, shape], `${prefix}.reshape`), shape: l.outShape, channelsFirst: false };
    }
    case 'batchNorm': {
      // Only a BN that could not be folded gets here (see prepare.ts).
      const { scale, shift } = affineOf(n);
      const dims = c.channelsFirst ? [scale.length, 1] : [scale.length];
      const mul = w.op('Mul', [c.name, w.floats(`${prefix}.scale`, dims, scale)], `${prefix}.mul`);
      return { ...c, name: w.op('Add', [mul, w.floats(`${prefix}.shift`, dims, shift)], `${prefix}.add`) };
    }
    case 'activation': return activation(w, c, n.activation, prefix);
    case 'dropout': return c;
  }
}

/**
 * Writes `graph` as ONNX model bytes. Throws EH_MODEL_UNSUPPORTED for a layer kind the exporter
 * cannot write (naming its index and kind) and EH_MODEL_INVALID for a graph whose shapes or
 * weights do not fit together.
 */
export function exportOnnx(graph: ModelGraph, options: ExportOptions = {}): Uint8Array {
  const inputName = options.inputName ?? 'input';
  const outputName = options.outputName ?? 'output';
  if (inputName === outputName || !inputName || !outputName) {
    throw new EdgehiveError('EH_BAD_REQUEST', `input and output names must be distinct and non-empty (got '${inputName}' and '${outputName}')`);
  }
  const layers = prepareLayers(graph);
  const w = new GraphWriter();
  let c: Cursor = { name: inputName, shape: graph.inputShape, channelsFirst: false };
  for (const l of layers) c = emitLayer(w, c, l);
  c = toChannelsLast(w, c, 'output');
  const last = w.nodes[w.nodes.length - 1];
  if (!last || last.output?.[0] !== c.name) {
    w.op('Identity', [c.name], outputName);
  } else {
    // The last node writes the graph output directly; nothing else reads its old name.
    last.output = [outputName];
  }
  const model: onnx.IModelProto = {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: PRODUCER_NAME,
    producerVersion: options.producerVersion ?? '',
    docString: options.docString ?? '',
    graph: {
      name: graph.name,
      node: w.nodes,
      initializer: w.initializers,
      input: [tensorValueInfo(inputName, DataType.FLOAT, [BATCH_DIM, ...graph.inputShape])],
      output: [tensorValueInfo(outputName, DataType.FLOAT, [BATCH_DIM, ...graph.outputShape])],
    },
    metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
  };
  return encodeModel(model);
}
