/**
 * The static rewrite: given a plan and calibrated activation parameters, turns the float graph
 * into QDQ form. One QuantizeLinear per quantised tensor, right after its producer; one
 * DequantizeLinear per consuming node, right before it (ORT wants each DQ to feed one node
 * unit); int8 per-channel weights and int32 biases behind their own DequantizeLinear. The float
 * weights the graph no longer reads are dropped, which is where the size goes.
 */
import { attr, floatData, floatTensor, int32Tensor, int8Tensor, node, uint8Tensor, type onnx } from '../onnx/index.ts';
import { attrFloat, dimsOf, NameAllocator, type GraphView } from './graph.ts';
import type { StaticPlan } from './plan.ts';
import { quantiseBias, quantiseWeightsPerChannel, type ActivationType, type QParams } from './qmath.ts';
import type { NodeReport } from './report.ts';

export interface RewriteResult {
  readonly nodes: readonly NodeReport[];
}

function zeroPointTensor(name: string, zp: number, type: ActivationType): onnx.ITensorProto {
  return type === 'uint8' ? uint8Tensor(name, [], Uint8Array.of(zp)) : int8Tensor(name, [], Int8Array.of(zp));
}

function setAttr(n: onnx.INodeProto, a: onnx.IAttributeProto): void {
  n.attribute = [...(n.attribute ?? []).filter((x) => x.name !== a.name), a];
}

/** Rewrites `view.graph` in place. `params` holds every quantised tensor's root parameters. */
export function rewriteStatic(view: GraphView, plan: StaticPlan, params: ReadonlyMap<string, QParams>, type: ActivationType): RewriteResult {
  const graph = view.graph;
  const names = new NameAllocator(graph);
  const newInits: onnx.ITensorProto[] = [];
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
  // Scale/zero-point initialisers, one pair per root tensor (same-scale tensors share them).
  const qpNames = new Map<string, { scale: string; zp: string }>();
  const qpFor = (t: string): { scale: string; zp: string } => {
    const root = rootOf(t);
    let e = qpNames.get(root);
    if (!e) {
      const p = paramsOf(root);
      e = { scale: names.fresh(`${root}_scale`), zp: names.fresh(`${root}_zero_point`) };
      newInits.push(floatTensor(e.scale, [], Float32Array.of(p.scale)), zeroPointTensor(e.zp, p.zeroPoint, type));
      qpNames.set(root, e);
    }
    return e;
  };
  const quantisedName = new Map<string, string>();
  const emitQ = (t: string): void => {
    if (!plan.quantised.has(t) || quantisedName.has(t)) return;
    const qp = qpFor(t);
    const q = names.fresh(`${t}_quantized`);
    quantisedName.set(t, q);
    out.push(node('QuantizeLinear', [t, qp.scale, qp.zp], [q], [], names.fresh(`${t}_QuantizeLinear`)));
  };
  const emitDQ = (t: string, consumer: string): string => {
    const qp = qpFor(t);
    const dq = names.fresh(`${t}_dequantized`);
    out.push(node('DequantizeLinear', [quantisedName.get(t)!, qp.scale, qp.zp], [dq], [], names.fresh(`${t}_DequantizeLinear_${consumer}`)));
    return dq;
  };

  emitQ(view.inputName);
  for (const p of plan.nodes) {
    const n = view.nodes[p.index]!;
    if (p.role === 'folded') {
      reports.push({ name: p.name, opType: p.opType, status: 'folded', detail: p.reason ?? 'folded' });
      continue;
    }
    // Every quantised input is read through a DequantizeLinear of this node's own.
    const dqs = new Map<string, string>();
    n.input = (n.input ?? []).map((t) => {
      if (!t || !quantisedName.has(t)) return t;
      if (!dqs.has(t)) dqs.set(t, emitDQ(t, p.name));
      return dqs.get(t)!;
    });
    if (p.role === 'compute') {
      reports.push(rewriteCompute(view, n, p, paramsOf(p.activation!), names, newInits, out, paramsOrUndefined(p.output)));
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
      const input = paramsOf(p.activation!);
      reports.push({
        name: p.name, opType: p.opType, status: 'quantised',
        detail: p.role === 'same-scale' ? 'runs on int8 with its input\'s scale (QDQ dropped by ORT)' : 'own output scale (QLinear average pool)',
        input, output: paramsOrUndefined(p.output),
      });
    }
  }

  function paramsOrUndefined(t: string | undefined): QParams | undefined {
    return t && plan.quantised.has(t) ? paramsOf(t) : undefined;
  }

  graph.node = out;
  graph.initializer = [...(graph.initializer ?? []), ...newInits];
  dropUnused(graph);
  return { nodes: reports };
}

function rewriteCompute(
  view: GraphView, n: onnx.INodeProto, p: StaticPlan['nodes'][number], inParams: QParams,
  names: NameAllocator, inits: onnx.ITensorProto[], out: onnx.INodeProto[], outParams: QParams | undefined,
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
  const { q, scales } = quantiseWeightsPerChannel(w, wDims, axis);
  const channels = scales.length;
  const wq = names.fresh(`${p.weight}_quantized`);
  const ws = names.fresh(`${p.weight}_scale`);
  const wz = names.fresh(`${p.weight}_zero_point`);
  const wdq = names.fresh(`${p.weight}_dequantized`);
  inits.push(int8Tensor(wq, wDims, q), floatTensor(ws, [channels], scales), int8Tensor(wz, [channels], new Int8Array(channels)));
  out.push(node('DequantizeLinear', [wq, ws, wz], [wdq], [attr('axis', axis)], names.fresh(`${p.weight}_DequantizeLinear_${p.name}`)));
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
    const bq = names.fresh(`${p.bias}_quantized`);
    const bs = names.fresh(`${p.bias}_scale`);
    const bdq = names.fresh(`${p.bias}_dequantized`);
    // No zero-point tensor: it defaults to 0, and int32 zeros would cost 4 bytes per channel.
    inits.push(int32Tensor(bq, [b.length], qb.q), floatTensor(bs, [b.length], qb.scales));
    out.push(node('DequantizeLinear', [bq, bs], [bdq], [attr('axis', 0)], names.fresh(`${p.bias}_DequantizeLinear_${p.name}`)));
    n.input![2] = bdq;
  }
  let min = Infinity;
  let max = 0;
  for (const s of scales) { min = Math.min(min, s); max = Math.max(max, s); }
  return {
    name: p.name, opType: p.opType, status: 'quantised',
    detail: `int8 weights per channel (axis ${axis})${p.bias ? ', int32 bias' : ''}${p.output !== n.output?.[0] ? ', Relu folded into the output' : ''}${outParams ? '' : ', float output (no quantised consumer)'}`,
    input: inParams, output: outParams,
    weight: { tensor: p.weight!, channels, axis, scaleMin: min, scaleMax: max },
    ...(biasClamped !== undefined ? { biasClamped } : {}),
  };
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
