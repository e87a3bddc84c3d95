/**
 * Dynamic quantisation of MatMul/Gemm: weights int8 per output column ahead of time, activations
 * quantised at run time from each batch's own range, so no calibration data is needed.
 *
 * Written in standard ONNX ops only (checker-valid, any runtime):
 *   DynamicQuantizeLinear(x) → MatMulInteger(x_u8, W_s8) → Cast(float) → Mul(x_scale · w_scale[n]) (→ Add bias)
 * ONNX Runtime fuses that chain into its DynamicQuantizeMatMul kernel, which is what writing the
 * com.microsoft op directly would give, minus the checker's blessing.
 */
import { attr, DataType, encodeModel, floatData, floatTensor, int8Tensor, type onnx } from '../onnx/index.ts';
import { attrFloat, attrInt, dimsOf, isFloatConstant, NameAllocator, type GraphView } from './graph.ts';
import { validateModel } from './inspect.ts';
import { dropUnused } from './qdq.ts';
import { quantiseWeightsPerChannel, weightRange } from './qmath.ts';
import { summarise, type NodeReport } from './report.ts';
import type { QuantiseResult } from './static.ts';

interface Target { readonly w: Float32Array; readonly k: number; readonly n: number; readonly bias?: Float32Array }

/** A node the quantiser adds: no name (optional in ONNX), short generated tensor names (see qdq.ts). */
function qnode(opType: string, inputs: readonly string[], outputs: readonly string[], attributes: readonly onnx.IAttributeProto[] = []): onnx.INodeProto {
  return { opType, input: [...inputs], output: [...outputs], attribute: [...attributes] };
}

/** The weight as [K, N] (alpha folded in) and the bias (beta folded in), or why the node stays float. */
function target(v: GraphView, n: onnx.INodeProto): Target | string {
  const op = n.opType ?? '';
  if (op !== 'MatMul' && op !== 'Gemm') return `${op} is not a MatMul/Gemm: dynamic mode keeps it in float`;
  if (n.domain && n.domain !== 'ai.onnx') return `${n.domain}.${op} is outside the standard domain`;
  const [x, wName, c] = n.input ?? [];
  if (!x || v.initialisers.has(x)) return `${op} input A is a constant`;
  if (!isFloatConstant(v, wName)) return `${op} weight is not a float initialiser: kept in float`;
  const dims = dimsOf(v.initialisers.get(wName!)!);
  if (dims.length !== 2) return `${op} weight has rank ${dims.length}; only 2-D weights are quantised`;
  const raw = floatData(v.initialisers.get(wName!)!);
  if (op === 'MatMul') return { w: raw, k: dims[0]!, n: dims[1]! };
  if (attrInt(n, 'transA', 0) !== 0) return 'Gemm with transA=1 is not quantised: kept in float';
  const transB = attrInt(n, 'transB', 0) !== 0;
  const [k, cols] = transB ? [dims[1]!, dims[0]!] : [dims[0]!, dims[1]!];
  const alpha = attrFloat(n, 'alpha', 1);
  const w = new Float32Array(k * cols);
  for (let i = 0; i < k; i++) for (let j = 0; j < cols; j++) w[i * cols + j] = alpha * (transB ? raw[j * k + i]! : raw[i * cols + j]!);
  if (!c) return { w, k, n: cols };
  const beta = attrFloat(n, 'beta', 1);
  if (!isFloatConstant(v, c)) return 'Gemm C is not a constant: kept in float';
  const cData = floatData(v.initialisers.get(c)!);
  if (cData.length !== cols) return 'Gemm C is not a per-output bias: kept in float';
  return { w, k, n: cols, bias: Float32Array.from(cData, (b) => b * beta) };
}

/** reduceRange: 7-bit weights (default), for the same reason as static (see REDUCED_WEIGHT_QMAX): DynamicQuantizeLinear's activations are uint8 too. */
export async function quantiseDynamic(bytes: Uint8Array, options: { readonly reduceRange?: boolean } = {}): Promise<QuantiseResult> {
  const range = weightRange(options.reduceRange);
  const { model, view } = validateModel(bytes);
  const graph = view.graph;
  const names = new NameAllocator(graph);
  const inits: onnx.ITensorProto[] = [];
  const out: onnx.INodeProto[] = [];
  const reports: NodeReport[] = [];
  // One DynamicQuantizeLinear per activation tensor, however many MatMuls read it.
  const dql = new Map<string, { q: string; scale: string; zp: string }>();

  view.nodes.forEach((n, i) => {
    const name = n.name || `${n.opType}_${i}`;
    const t = target(view, n);
    if (typeof t === 'string') {
      out.push(n);
      reports.push({ name, opType: n.opType ?? '', status: 'float', detail: t });
      return;
    }
    const x = n.input![0]!;
    let d = dql.get(x);
    if (!d) {
      d = { q: names.short('q'), scale: names.short('s'), zp: names.short('z') };
      out.push(qnode('DynamicQuantizeLinear', [x], [d.q, d.scale, d.zp]));
      dql.set(x, d);
    }
    const { q, scales } = quantiseWeightsPerChannel(t.w, [t.k, t.n], 1, undefined, range.qmax);
    const wq = names.short('w');
    const ws = names.short('s');
    inits.push(int8Tensor(wq, [t.k, t.n], q), floatTensor(ws, [t.n], scales));
    const acc = names.short('i');
    const accF = names.short('f');
    const scale = names.short('s');
    const y = n.output![0]!;
    const scaled = t.bias ? names.short('m') : y;
    out.push(
      qnode('MatMulInteger', [d.q, wq, d.zp], [acc]),
      qnode('Cast', [acc], [accF], [attr('to', DataType.FLOAT)]),
      qnode('Mul', [d.scale, ws], [scale]),
      qnode('Mul', [accF, scale], [scaled]),
    );
    if (t.bias) {
      const b = names.short('b');
      inits.push(floatTensor(b, [t.n], t.bias));
      out.push(qnode('Add', [scaled, b], [y]));
    }
    let min = Infinity;
    let max = 0;
    for (const s of scales) { min = Math.min(min, s); max = Math.max(max, s); }
    reports.push({
      name, opType: n.opType ?? '', status: 'quantised',
      detail: 'int8 weights per output column; activations quantised to uint8 at run time (DynamicQuantizeLinear + MatMulInteger)',
      weight: { tensor: n.input![1]!, channels: t.n, axis: 1, scaleMin: min, scaleMax: max },
    });
  });

  graph.node = out;
  graph.initializer = [...(graph.initializer ?? []), ...inits];
  dropUnused(graph);
  model.producerName = model.producerName ? `${model.producerName} + edgehive-quantise` : 'edgehive-quantise';
  const bytesOut = encodeModel(model);
  return { model: bytesOut, report: { mode: 'dynamic', weightBits: range.bits, nodes: reports, ...summarise(reports), bytesBefore: bytes.length, bytesAfter: bytesOut.length } };
}
