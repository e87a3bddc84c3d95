/**
 * The static rewrite: given a plan and calibrated activation parameters, turns the float graph
 * into QDQ form. One QuantizeLinear per quantised tensor, right after its producer; one
 * DequantizeLinear per consuming node, right before it (ORT wants each DQ to feed one node
 * unit); int8 weights (per channel, or per tensor where the channel scales are nearly equal)
 * and int32 biases behind their own DequantizeLinear. The float
 * weights the graph no longer reads are dropped, which is where the size goes.
 *
 * What the QDQ form itself costs is kept small, because on a 5–50 KB model it weighs as much as
 * the int8 weights:
 *  - generated tensors get short counter names (`q0`, `d3`, `s1`), and once the rewrite is done
 *    every node loses its name (optional in ONNX; the report names the layers) and every tensor
 *    but the graph's input and output gets a short one (shortenNames);
 *  - a weight whose channel scales are nearly equal (max/min ≤ 2, see PER_TENSOR_MAX_SPREAD)
 *    is quantised per tensor: one scale and one zero point instead of one of each per channel
 *    (5 B a channel). ORT fuses per-tensor QDQ weights into QGemm/QLinearConv just the same;
 *  - scales and zero points are stored once per distinct value and shared by every Q/DQ (and
 *    Mul) that reads them: the all-zero weight zero points once per channel count (one scalar
 *    for every per-tensor weight), the activation zero points once per value;
 *  - zero points that are 0 are left out only where ORT (1.30) still fuses without them: a Conv
 *    weight's DQ and every int32 bias's DQ. Without them on a Gemm/MatMul weight, or on the
 *    activations, ORT no longer fuses Gemm/MatMul into QGemm (it keeps float Gemm between DQs);
 *  - constants of a wide layer are stored narrow and widened by nodes that ORT folds into
 *    constants when it loads the model, before its QDQ fusion looks at the graph: per-channel
 *    scales as float16 (the scales rounded up to float16 values first, so the weights are
 *    quantised with exactly what the runtime sees), int32 biases as int16 or int8 where every
 *    value fits (exact), and a per-channel zero-point vector as a ConstantOfShape of zeros;
 *  - a bias's scale (input scale × weight scale per channel) is not stored: a Mul of the two
 *    scales computes it, bit for bit the same float32, and ORT folds it into a constant when it
 *    loads the model, before its QDQ fusion looks at the graph;
 *  - shape-only ops that keep their input's scale (Flatten, Reshape, Transpose, Squeeze,
 *    Unsqueeze, MaxPool) run on the quantised tensor itself rather than between a DQ and a Q:
 *    the same numbers (they move or pick values, never combine them) with two nodes fewer, and
 *    what ORT would have turned the pair into anyway.
 */
import { attr, DataType, floatData, floatTensor, int32Tensor, int64Tensor, int8Tensor, uint8Tensor, type DataTypeCode, type onnx } from '../onnx/index.ts';
import { attrFloat, dimsOf, hasSubgraphs, NameAllocator, type GraphView } from './graph.ts';
import type { StaticPlan } from './plan.ts';
import { halfBits, narrowIntBytes, quantiseBias, quantiseLayerWeights, type ActivationType, type QParams } from './qmath.ts';
import type { NodeReport } from './report.ts';

export interface RewriteResult {
  readonly nodes: readonly NodeReport[];
}

function setAttr(n: onnx.INodeProto, a: onnx.IAttributeProto): void {
  n.attribute = [...(n.attribute ?? []).filter((x) => x.name !== a.name), a];
}

/** A node the quantiser adds: no name (ONNX names are optional), no doc string. */
function qnode(opType: string, inputs: readonly string[], outputs: readonly string[], attributes: readonly onnx.IAttributeProto[] = []): onnx.INodeProto {
  return { opType, input: [...inputs], output: [...outputs], attribute: [...attributes] };
}

/**
 * Tensors of at least this many elements are stored narrower (per-channel scales as float16,
 * int32 biases as int16 or int8 where every value fits) and widened by a Cast: 2–3 B an element
 * saved against about 26 B for the Cast node.
 */
export const NARROW_MIN_ELEMENTS = 16;
/**
 * Per-channel weight zero points (all 0) of at least this many channels come from a
 * ConstantOfShape (about 70 B with its shape tensor) instead of being stored (1 B a channel).
 */
export const ZERO_FILL_MIN_CHANNELS = 64;

/**
 * Small constants (scales, zero points) stored once per distinct value and shared by name; the
 * nodes that build constants (Cast, ConstantOfShape) go into `prelude`, ahead of every other node.
 */
class Constants {
  readonly #byValue = new Map<string, string>();
  readonly #names: NameAllocator;
  readonly #inits: onnx.ITensorProto[];
  readonly prelude: onnx.INodeProto[] = [];

  constructor(names: NameAllocator, inits: onnx.ITensorProto[]) {
    this.#names = names;
    this.#inits = inits;
  }

  static #key(t: onnx.ITensorProto): string {
    return `${t.dataType}|${(t.dims ?? []).join(',')}|${Buffer.from(t.rawData ?? new Uint8Array()).toString('base64')}`;
  }

  /** The name of an initialiser equal to `t` (its name ignored), added under a fresh `prefix` name if new. */
  intern(prefix: string, t: onnx.ITensorProto): string {
    const key = Constants.#key(t);
    let name = this.#byValue.get(key);
    if (!name) {
      name = this.#names.short(prefix);
      this.#inits.push({ ...t, name });
      this.#byValue.set(key, name);
    }
    return name;
  }

  /** `t` (stored narrow) widened to `to` by a Cast: the Cast's output name, shared by equal tensors. */
  widened(prefix: string, t: onnx.ITensorProto, to: DataTypeCode): string {
    const key = `cast ${to}|${Constants.#key(t)}`;
    let name = this.#byValue.get(key);
    if (!name) {
      name = this.#names.short(prefix);
      this.prelude.push(qnode('Cast', [this.intern('n', t)], [name], [attr('to', to)]));
      this.#byValue.set(key, name);
    }
    return name;
  }

  /** An int8 tensor of `n` zeros, produced by ConstantOfShape rather than stored: shared per `n`. */
  zeros(n: number): string {
    const key = `zeros ${n}`;
    let name = this.#byValue.get(key);
    if (!name) {
      name = this.#names.short('z');
      this.prelude.push(qnode('ConstantOfShape', [this.intern('n', int64Tensor('', [1], [n]))], [name], [attr('value', int8Tensor('', [1], Int8Array.of(0)))]));
      this.#byValue.set(key, name);
    }
    return name;
  }
}

function float16Tensor(dims: readonly number[], values: Float32Array): onnx.ITensorProto {
  const raw = new Uint8Array(values.length * 2);
  const view = new DataView(raw.buffer);
  values.forEach((v, i) => view.setUint16(i * 2, halfBits(v), true));
  return { name: '', dims: [...dims], dataType: DataType.FLOAT16, rawData: raw };
}

/** An int32 bias's initialiser name, or the Cast that widens it from int16/int8 where every value fits. */
function biasInput(constants: Constants, names: NameAllocator, inits: onnx.ITensorProto[], q: Int32Array): string {
  const bytes = q.length >= NARROW_MIN_ELEMENTS ? narrowIntBytes(q) : 4;
  if (bytes === 4) {
    const name = names.short('b');
    inits.push(int32Tensor(name, [q.length], q));
    return name;
  }
  const t: onnx.ITensorProto = bytes === 1
    ? int8Tensor('', [q.length], Int8Array.from(q))
    : { name: '', dims: [q.length], dataType: DataType.INT16, rawData: new Uint8Array(Int16Array.from(q).buffer) };
  return constants.widened('b', t, DataType.INT32);
}

/** Scale and zero-point inputs of a Q/DQ pair. */
interface QpNames { readonly scale: string; readonly zp: string }

/** Rewrites `view.graph` in place. `params` holds every quantised tensor's root parameters. */
export function rewriteStatic(view: GraphView, plan: StaticPlan, params: ReadonlyMap<string, QParams>, type: ActivationType, maxSpread: number, weightQmax: number): RewriteResult {
  const graph = view.graph;
  const names = new NameAllocator(graph);
  const newInits: onnx.ITensorProto[] = [];
  const constants = new Constants(names, newInits);
  const out: onnx.INodeProto[] = [];
  const reports: NodeReport[] = [];

  const rootOf = (t: string): string => {
    let r = t;
    for (let i = 0; plan.sharesScaleWith.has(r) && i < 1000; i++) r = plan.sharesScaleWith.get(r)!;
    return r;
  };
  const paramsOf = (t: string): QParams => {
    const p = params.get(rootOf(t));
    if (!p) throw new Error(`internal: no calibration for ${t}`);
    return p;
  };
  // Scale/zero-point inputs per root tensor (same-scale tensors share them; equal values share one initialiser).
  const qpNames = new Map<string, QpNames>();
  const qpFor = (t: string): QpNames => {
    const root = rootOf(t);
    let e = qpNames.get(root);
    if (!e) {
      const p = paramsOf(root);
      // Kept even where it is 0 (uint8 0 is QuantizeLinear's default): without it ORT does not
      // fuse Gemm into QGemm. Equal values share one scalar.
      e = {
        scale: constants.intern('s', floatTensor('', [], Float32Array.of(p.scale))),
        zp: constants.intern('z', type === 'uint8' ? uint8Tensor('', [], Uint8Array.of(p.zeroPoint)) : int8Tensor('', [], Int8Array.of(p.zeroPoint))),
      };
      qpNames.set(root, e);
    }
    return e;
  };
  const qdqInputs = (x: string, qp: QpNames): string[] => [x, qp.scale, qp.zp];
  const quantisedName = new Map<string, string>();
  const emitQ = (t: string): void => {
    if (!plan.quantised.has(t) || quantisedName.has(t)) return;
    const q = names.short('q');
    quantisedName.set(t, q);
    out.push(qnode('QuantizeLinear', qdqInputs(t, qpFor(t)), [q]));
  };
  const emitDQ = (t: string, output = names.short('d')): string => {
    out.push(qnode('DequantizeLinear', qdqInputs(quantisedName.get(t)!, qpFor(t)), [output]));
    return output;
  };

  emitQ(view.inputName);
  for (const p of plan.nodes) {
    const n = view.nodes[p.index]!;
    if (p.role === 'folded') {
      reports.push({ name: p.name, opType: p.opType, status: 'folded', detail: p.reason ?? 'folded' });
      continue;
    }
    if (p.role === 'same-scale') {
      // Runs on the quantised tensor: Q(x) → op → consumers' DQs, with x's scale and zero point.
      const data = p.activation!;
      const y = n.output![0]!;
      const qy = names.short('q');
      n.input = [quantisedName.get(data)!, ...(n.input ?? []).slice(1)];
      n.output = [qy];
      quantisedName.set(y, qy);
      out.push(n);
      // A graph output stays float under its own name.
      if (view.graphOutputs.has(y)) emitDQ(y, y);
      const qp = paramsOf(data);
      reports.push({
        name: p.name, opType: p.opType, status: 'quantised',
        detail: 'runs on the quantised tensor with its input\'s scale', input: qp, output: qp,
      });
      continue;
    }
    // Every quantised input is read through a DequantizeLinear of this node's own.
    const dqs = new Map<string, string>();
    n.input = (n.input ?? []).map((t) => {
      if (!t || !quantisedName.has(t)) return t;
      if (!dqs.has(t)) dqs.set(t, emitDQ(t));
      return dqs.get(t)!;
    });
    if (p.role === 'compute') {
      reports.push(rewriteCompute(view, n, p, paramsOf(p.activation!), qpFor(p.activation!).scale, names, constants, newInits, out, paramsOrUndefined(p.output), maxSpread, weightQmax));
      if (p.output && p.output !== n.output![0]) n.output = [p.output, ...(n.output ?? []).slice(1)];
      out.push(n);
      emitQ(p.output!);
      continue;
    }
    out.push(n);
    for (const o of n.output ?? []) emitQ(o);
    if (p.role === 'float') {
      reports.push({ name: p.name, opType: p.opType, status: 'float', detail: p.reason ?? 'kept in float' });
    } else {
      reports.push({
        name: p.name, opType: p.opType, status: 'quantised', detail: 'own output scale (QLinear average pool)',
        input: paramsOf(p.activation!), output: paramsOrUndefined(p.output),
      });
    }
  }

  function paramsOrUndefined(t: string | undefined): QParams | undefined {
    return t && plan.quantised.has(t) ? paramsOf(t) : undefined;
  }

  graph.node = [...constants.prelude, ...out];
  graph.initializer = [...(graph.initializer ?? []), ...newInits];
  dropUnused(graph);
  shortenNames(graph);
  return { nodes: reports };
}

function rewriteCompute(
  view: GraphView, n: onnx.INodeProto, p: StaticPlan['nodes'][number], inParams: QParams, inScale: string,
  names: NameAllocator, constants: Constants, inits: onnx.ITensorProto[], out: onnx.INodeProto[], outParams: QParams | undefined, maxSpread: number, weightQmax: number,
): NodeReport {
  const wInit = view.initialisers.get(p.weight!)!;
  const wDims = dimsOf(wInit);
  let w = floatData(wInit);
  // Gemm's alpha and beta go into the constants so the integer kernel sees plain A·B + C.
  const alpha = n.opType === 'Gemm' ? attrFloat(n, 'alpha', 1) : 1;
  const beta = n.opType === 'Gemm' ? attrFloat(n, 'beta', 1) : 1;
  if (alpha !== 1) {
    w = Float32Array.from(w, (x) => x * alpha);
    setAttr(n, attr('alpha', 1, true));
  }
  const axis = p.axis!;
  const channels = wDims[axis] ?? 1;
  const { q, scales, perTensor, halfScales, spread, channelScaleMin, channelScaleMax } = quantiseLayerWeights(w, wDims, axis, maxSpread, channels >= NARROW_MIN_ELEMENTS, weightQmax);
  const wq = names.short('w');
  const wdq = names.short('d');
  inits.push(int8Tensor(wq, wDims, q));
  // Per-channel scales of a wide layer are float16 values (see quantiseLayerWeights) stored as
  // such and widened by a Cast, which ORT folds into a float32 constant when it loads the model,
  // before its QDQ fusion runs (as it does the bias scale's Mul): 2 B a channel instead of 4.
  const ws = perTensor ? constants.intern('s', floatTensor('', [], scales))
    : halfScales ? constants.widened('s', float16Tensor([channels], scales), DataType.FLOAT)
      : constants.intern('s', floatTensor('', [channels], scales));
  // Symmetric weights have zero point 0, which ONNX lets a DQ leave out. ORT 1.30 fuses a Conv
  // into QLinearConv without it, so a Conv weight's DQ has none; but it fuses Gemm/MatMul into
  // QGemm only with an explicit one (left out, the Gemm stays float between DQs: checked on
  // every bench model and pinned by test/unit/quantise-models.test.ts). There it is an all-zero
  // tensor shared by every weight with as many channels (a scalar per tensor), and for a wide
  // layer a ConstantOfShape that ORT folds at load like the Cast above.
  const wz = n.opType === 'Conv' ? undefined
    : perTensor ? constants.intern('z', int8Tensor('', [], Int8Array.of(0)))
      : channels >= ZERO_FILL_MIN_CHANNELS ? constants.zeros(channels)
        : constants.intern('z', int8Tensor('', [channels], new Int8Array(channels)));
  // DQ's axis attribute defaults to 1 (a MatMul weight's output channels), so that one is not
  // written; per tensor it means nothing and is never written.
  out.push(qnode('DequantizeLinear', wz === undefined ? [wq, ws] : [wq, ws, wz], [wdq], perTensor || axis === 1 ? [] : [attr('axis', axis)]));
  n.input![1] = wdq;

  let biasClamped: number | undefined;
  if (p.bias) {
    let b = floatData(view.initialisers.get(p.bias)!);
    if (beta !== 1) {
      b = Float32Array.from(b, (x) => x * beta);
      setAttr(n, attr('beta', 1, true));
    }
    const qb = quantiseBias(b, inParams.scale, scales);
    biasClamped = qb.clamped;
    // int32, stored as int16 (or int8) behind a Cast where every value fits: the values ORT's
    // kernel sees are the same int32s.
    const bq = biasInput(constants, names, inits, qb.q);
    const bs = names.short('s');
    const bdq = names.short('d');
    // The bias scale is input scale × weight scale (float32, as quantiseBias computes it): a Mul
    // of the two stored scales instead of a third per-channel float tensor. No zero point: it is
    // 0, and ORT fuses without one (QLinearConv and QGemm alike).
    out.push(
      qnode('Mul', [inScale, ws], [bs]),
      qnode('DequantizeLinear', [bq, bs], [bdq], perTensor ? [] : [attr('axis', 0)]),
    );
    n.input![2] = bdq;
  }
  return {
    name: p.name, opType: p.opType, status: 'quantised',
    detail: `int8 weights ${perTensor ? `per tensor (channel scales within ${spread.toFixed(2)}×)` : `per channel (axis ${axis})`}${p.bias ? ', int32 bias' : ''}${p.output !== n.output?.[0] ? ', Relu folded into the output' : ''}${outParams ? '' : ', float output (no quantised consumer)'}`,
    input: inParams, output: outParams,
    weight: { tensor: p.weight!, channels, axis, scaleMin: channelScaleMin, scaleMax: channelScaleMax, perTensor },
    ...(biasClamped !== undefined ? { biasClamped } : {}),
  };
}

/**
 * Drops every node name (optional in ONNX; the report names the layers) and gives every tensor
 * that is neither a graph input nor a graph output a short name: in a 30 KB model the float
 * model's own names (`conv1d_0.to_channels_first`, …) cost as much as a layer's scales. Left as
 * they are where a node holds a subgraph, whose references to outer tensors are not rewritten.
 */
export function shortenNames(graph: onnx.IGraphProto): void {
  if (hasSubgraphs(graph)) return;
  for (const n of graph.node ?? []) delete n.name;
  const keep = new Set([...(graph.input ?? []), ...(graph.output ?? [])].map((v) => v.name ?? ''));
  const initialisers = new Set((graph.initializer ?? []).map((t) => t.name ?? ''));
  // Short already: the quantiser's own names (a letter and a counter).
  const short = (t: string): boolean => /^[a-z]\d{0,3}$/.test(t);
  const names = new NameAllocator(graph);
  const renamed = new Map<string, string>();
  const rename = (t: string): string => {
    if (!t || keep.has(t) || short(t)) return t;
    let r = renamed.get(t);
    if (!r) {
      r = names.short(initialisers.has(t) ? 'c' : 't');
      renamed.set(t, r);
    }
    return r;
  };
  for (const n of graph.node ?? []) {
    n.input = (n.input ?? []).map(rename);
    n.output = (n.output ?? []).map(rename);
  }
  for (const t of graph.initializer ?? []) t.name = rename(t.name ?? '');
  for (const v of graph.valueInfo ?? []) v.name = rename(v.name ?? '');
}

/** Removes initialisers (and their legacy graph-input entries) and value infos nothing reads any more. */
export function dropUnused(graph: onnx.IGraphProto): void {
  const used = new Set<string>();
  const produced = new Set<string>();
  for (const n of graph.node ?? []) {
    for (const t of n.input ?? []) used.add(t);
    for (const t of n.output ?? []) produced.add(t);
  }
  for (const o of graph.output ?? []) used.add(o.name ?? '');
  const wasInitialiser = new Set((graph.initializer ?? []).map((t) => t.name ?? ''));
  graph.initializer = (graph.initializer ?? []).filter((t) => used.has(t.name ?? ''));
  // Real inputs stay even if unread: the model's signature must not change.
  graph.input = (graph.input ?? []).filter((i) => used.has(i.name ?? '') || !wasInitialiser.has(i.name ?? ''));
  graph.valueInfo = (graph.valueInfo ?? []).filter((v) => produced.has(v.name ?? ''));
}
