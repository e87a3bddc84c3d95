/**
 * Which nodes and tensors get quantised, decided from the graph alone (before calibration), so
 * that `inspectModel` can tell an uploader what will happen and the rewriter can follow the
 * same decisions.
 *
 * The pattern follows what ONNX Runtime's CPU provider fuses into integer kernels:
 *  - compute ops (Conv, MatMul, Gemm) with a constant weight: DQ(x), DQ(w int8 per channel or tensor),
 *    DQ(bias int32) → op → Q(y) becomes QLinearConv / QLinearMatMul / QGemm;
 *  - data-movement ops (MaxPool, Reshape, Flatten, Transpose, Squeeze, Unsqueeze) whose input is
 *    already quantised keep its scale: the rewriter runs them on the quantised tensor itself
 *    (what ORT would make of a DQ → op → Q pair around them);
 *  - average pools get a scale of their own (averaging narrows the range) and become
 *    QLinearAveragePool / QLinearGlobalAveragePool;
 *  - a Relu right after a compute op is folded into that op's output Q: with the range starting
 *    at 0 the zero point is the type's minimum, so QuantizeLinear's clamp is the Relu.
 * Everything else stays float and reads dequantised values.
 */
import { attrFloat, attrInt, dimsOf, hasSubgraphs, isFloatConstant, type GraphView } from './graph.ts';

export type NodeRole = 'compute' | 'same-scale' | 'own-scale' | 'folded' | 'float';

export interface NodePlan {
  readonly index: number;
  readonly name: string;
  readonly opType: string;
  readonly role: NodeRole;
  /** Why the node stays float (role 'float'), or how it was handled otherwise. */
  readonly reason?: string;
  /** compute (and same/own-scale: activation only): the activation input, the weight initialiser, its channel axis, the optional bias. */
  readonly activation?: string;
  readonly weight?: string;
  readonly axis?: number;
  readonly bias?: string;
  /** compute: the tensor its (possibly Relu-folded) output is written to. */
  readonly output?: string;
}

export interface StaticPlan {
  readonly nodes: readonly NodePlan[];
  /** Tensors that get a QuantizeLinear (and a DequantizeLinear per consumer). */
  readonly quantised: ReadonlySet<string>;
  /** same-scale outputs → the tensor whose parameters they reuse. */
  readonly sharesScaleWith: ReadonlyMap<string, string>;
}

export const COMPUTE_OPS = new Set(['Conv', 'MatMul', 'Gemm']);
export const SAME_SCALE_OPS = new Set(['MaxPool', 'Reshape', 'Flatten', 'Transpose', 'Squeeze', 'Unsqueeze']);
export const OWN_SCALE_OPS = new Set(['GlobalAveragePool', 'AveragePool']);

const FLOAT_REASONS: Readonly<Record<string, string>> = {
  Relu: 'Relu not directly after a quantised Conv/MatMul/Gemm: kept in float',
  Add: 'Add kept in float (a bias add after MatMul: ORT folds it into the integer MatMul kernel)',
  LSTM: 'LSTM has no QDQ integer kernel in ONNX Runtime: kept in float',
  GRU: 'GRU has no QDQ integer kernel in ONNX Runtime: kept in float',
};

function computeInfo(v: GraphView, index: number): { ok: true; weight: string; axis: number; bias?: string } | { ok: false; reason: string } {
  const n = v.nodes[index]!;
  const [x, w, b] = n.input ?? [];
  if (!x || isFloatConstant(v, x) || v.initialisers.has(x)) return { ok: false, reason: `${n.opType} input A is a constant: nothing to calibrate` };
  if (!w || !isFloatConstant(v, w)) return { ok: false, reason: `${n.opType} weight ${w ?? '(none)'} is not a float initialiser (two run-time inputs): kept in float` };
  const wDims = dimsOf(v.initialisers.get(w)!);
  const biasOk = b !== undefined && b !== '' && isFloatConstant(v, b);
  if (n.opType === 'Conv') {
    if (wDims.length < 3) return { ok: false, reason: `Conv weight has rank ${wDims.length}; expected ≥ 3` };
    if (b && !biasOk) return { ok: false, reason: 'Conv bias is not a float initialiser: kept in float' };
    return biasOk ? { ok: true, weight: w, axis: 0, bias: b } : { ok: true, weight: w, axis: 0 };
  }
  if (n.opType === 'MatMul') {
    if (wDims.length !== 2) return { ok: false, reason: `MatMul weight has rank ${wDims.length}; only 2-D weights are quantised` };
    return { ok: true, weight: w, axis: 1 };
  }
  // Gemm: y = alpha·A·B' + beta·C; only A untransposed (A is the calibrated activation).
  if (attrInt(n, 'transA', 0) !== 0) return { ok: false, reason: 'Gemm with transA=1 is not quantised: kept in float' };
  if (wDims.length !== 2) return { ok: false, reason: `Gemm weight has rank ${wDims.length}` };
  const transB = attrInt(n, 'transB', 0);
  const outChannels = wDims[transB ? 0 : 1] ?? 0;
  if (b) {
    const cDims = biasOk ? dimsOf(v.initialisers.get(b)!) : [];
    const cSize = cDims.reduce((p, d) => p * d, 1);
    if (!biasOk || cSize !== outChannels || attrFloat(n, 'beta', 1) === 0) return { ok: false, reason: 'Gemm C is not a constant per-output bias: kept in float' };
    return { ok: true, weight: w, axis: transB ? 0 : 1, bias: b };
  }
  return { ok: true, weight: w, axis: transB ? 0 : 1 };
}

/** Plans static QDQ quantisation. Pure: reads the graph, changes nothing. */
export function planStatic(v: GraphView): StaticPlan {
  const quantised = new Set<string>();
  const sharesScaleWith = new Map<string, string>();
  // Tensors whose value is available in quantised form without a new calibration site.
  const available = new Set<string>([v.inputName]);
  const plans: NodePlan[] = [];
  const folded = new Set<number>();
  const foldingAllowed = !hasSubgraphs(v.graph);

  const consumersOf = (t: string) => v.consumers.get(t) ?? [];
  const isQuantisableConsumer = (c: { node: number; slot: number }, t: string): boolean => {
    const op = v.nodes[c.node]?.opType ?? '';
    if (COMPUTE_OPS.has(op)) return c.slot === 0 && computeInfo(v, c.node).ok;
    return (SAME_SCALE_OPS.has(op) || OWN_SCALE_OPS.has(op)) && c.slot === 0 && t !== '';
  };

  v.nodes.forEach((n, index) => {
    const opType = n.opType ?? '';
    const name = n.name || `${opType}_${index}`;
    const domainOk = !n.domain || n.domain === 'ai.onnx';
    if (folded.has(index)) {
      plans.push({ index, name, opType, role: 'folded', reason: 'Relu folded into the preceding quantised op (its output range starts at 0)' });
      return;
    }
    if (domainOk && COMPUTE_OPS.has(opType)) {
      const info = computeInfo(v, index);
      if (!info.ok) {
        plans.push({ index, name, opType, role: 'float', reason: info.reason });
        return;
      }
      let output = n.output?.[0] ?? '';
      const cons = consumersOf(output);
      const relu = cons.length === 1 ? cons[0]!.node : -1;
      const reluNode = v.nodes[relu];
      if (foldingAllowed && reluNode?.opType === 'Relu' && (!reluNode.domain || reluNode.domain === 'ai.onnx') && !v.graphOutputs.has(output)) {
        const r = reluNode.output?.[0] ?? '';
        if (!v.graphOutputs.has(r) && consumersOf(r).some((c) => isQuantisableConsumer(c, r))) {
          folded.add(relu);
          output = r;
        }
      }
      quantised.add(n.input![0]!);
      available.add(output);
      plans.push({ index, name, opType, role: 'compute', activation: n.input![0]!, weight: info.weight, axis: info.axis, bias: info.bias, output });
      return;
    }
    const data = n.input?.[0] ?? '';
    if (domainOk && (SAME_SCALE_OPS.has(opType) || OWN_SCALE_OPS.has(opType))) {
      if (!available.has(data)) {
        plans.push({ index, name, opType, role: 'float', reason: `${opType} input ${data} comes from a float op: kept in float` });
        return;
      }
      // MaxPool's optional Indices output is int64; with it the op cannot run on int8.
      if ((n.output ?? []).filter(Boolean).length !== 1) {
        plans.push({ index, name, opType, role: 'float', reason: `${opType} with more than one output: kept in float` });
        return;
      }
      const out = n.output![0]!;
      quantised.add(data);
      available.add(out);
      const same = SAME_SCALE_OPS.has(opType);
      if (same) sharesScaleWith.set(out, data);
      plans.push({ index, name, opType, role: same ? 'same-scale' : 'own-scale', activation: data, output: out });
      return;
    }
    const reason = !domainOk
      ? `operator ${n.domain}.${opType} is outside the standard domain: kept in float`
      : FLOAT_REASONS[opType] ?? `${opType} has no integer kernel we target: kept in float`;
    plans.push({ index, name, opType, role: 'float', reason });
  });

  // An available output becomes a real Q site only where a quantised op reads it.
  for (const p of plans) {
    if ((p.role === 'compute' || p.role === 'same-scale' || p.role === 'own-scale') && p.output) {
      if (consumersOf(p.output).some((c) => isQuantisableConsumer(c, p.output!) && plans[c.node]?.role !== 'float')) quantised.add(p.output);
    }
  }
  demoteDeadEnds(v, plans, quantised, sharesScaleWith);
  return { nodes: plans, quantised, sharesScaleWith };
}

/**
 * A data-movement op or pool whose output nothing quantised reads gains nothing from running
 * on int8 and would only add a rounding step in front of float code: it goes back to float,
 * and so, in reverse order, does whatever only it was quantising (undoing a Relu fold whose
 * output Q disappears with it).
 */
function demoteDeadEnds(v: GraphView, plans: NodePlan[], quantised: Set<string>, shares: Map<string, string>): void {
  const readsQuantised = (t: string): boolean => (v.consumers.get(t) ?? []).some((c) => {
    const role = plans[c.node]?.role;
    return c.slot === 0 && (role === 'compute' || role === 'same-scale' || role === 'own-scale');
  });
  for (let i = plans.length - 1; i >= 0; i--) {
    const p = plans[i]!;
    if ((p.role === 'same-scale' || p.role === 'own-scale') && p.output && !quantised.has(p.output)) {
      plans[i] = { index: p.index, name: p.name, opType: p.opType, role: 'float', reason: `${p.opType}: nothing after it runs quantised, so it is kept in float` };
      shares.delete(p.output);
      const input = p.activation!;
      if (readsQuantised(input)) continue;
      quantised.delete(input);
      const producer = plans.find((q) => q.role === 'compute' && q.output === input);
      if (producer && producer.output !== v.nodes[producer.index]?.output?.[0]) {
        // Undo the Relu fold: without a Q on the Relu's output nothing would clamp.
        const k = plans.indexOf(producer);
        plans[k] = { ...producer, output: v.nodes[producer.index]!.output![0]! };
        const relu = plans.findIndex((q) => q.role === 'folded' && v.nodes[q.index]?.output?.[0] === input);
        if (relu >= 0) plans[relu] = { ...plans[relu]!, role: 'float', reason: 'Relu kept in float (nothing after it runs quantised)' };
      }
    }
  }
}
