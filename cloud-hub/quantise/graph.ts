/**
 * Read-only views of an ONNX graph that the planner and the rewriters share: which tensors are
 * constants, who consumes what, attribute lookup, and short fresh tensor names.
 */
import { DataType, type onnx } from '../onnx/index.ts';

export interface GraphView {
  readonly graph: onnx.IGraphProto;
  readonly nodes: readonly onnx.INodeProto[];
  readonly initialisers: ReadonlyMap<string, onnx.ITensorProto>;
  /** Consumers of each tensor: node index and input slot. */
  readonly consumers: ReadonlyMap<string, readonly { node: number; slot: number }[]>;
  readonly graphOutputs: ReadonlySet<string>;
  /** The one real (non-initialiser) graph input. */
  readonly inputName: string;
}

export function viewGraph(graph: onnx.IGraphProto): GraphView {
  const initialisers = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t] as const));
  const nodes = graph.node ?? [];
  const consumers = new Map<string, { node: number; slot: number }[]>();
  nodes.forEach((n, i) => (n.input ?? []).forEach((name, slot) => {
    if (!name) return;
    const list = consumers.get(name) ?? [];
    list.push({ node: i, slot });
    consumers.set(name, list);
  }));
  const realInputs = (graph.input ?? []).filter((v) => !initialisers.has(v.name ?? ''));
  return {
    graph,
    nodes,
    initialisers,
    consumers,
    graphOutputs: new Set((graph.output ?? []).map((o) => o.name ?? '')),
    inputName: realInputs[0]?.name ?? '',
  };
}

export function attrInt(n: onnx.INodeProto, name: string, dflt: number): number {
  const a = (n.attribute ?? []).find((x) => x.name === name);
  return a?.i == null ? dflt : Number(a.i);
}

export function attrFloat(n: onnx.INodeProto, name: string, dflt: number): number {
  const a = (n.attribute ?? []).find((x) => x.name === name);
  return a?.f == null ? dflt : Number(a.f);
}

/** True for a FLOAT initialiser (the only kind of weight we quantise). */
export function isFloatConstant(v: GraphView, name: string | undefined): boolean {
  const t = name ? v.initialisers.get(name) : undefined;
  return t !== undefined && (t.dataType ?? DataType.FLOAT) === DataType.FLOAT;
}

export function dimsOf(t: onnx.ITensorProto): number[] {
  return (t.dims ?? []).map(Number);
}

/** Hands out tensor and node names that collide with nothing already in the graph. */
export class NameAllocator {
  readonly #used = new Set<string>();
  readonly #counters = new Map<string, number>();

  constructor(graph: onnx.IGraphProto) {
    for (const n of graph.node ?? []) {
      for (const t of [...(n.input ?? []), ...(n.output ?? [])]) this.#used.add(t);
      if (n.name) this.#used.add(n.name);
    }
    for (const t of graph.initializer ?? []) this.#used.add(t.name ?? '');
    for (const t of [...(graph.input ?? []), ...(graph.output ?? [])]) this.#used.add(t.name ?? '');
  }

  /**
   * A short name, `prefix` and a counter (`q0`, `q1`, …), deterministic for a given graph and
   * skipping anything already taken. Generated tensors get these: in a small model the names of
   * the QDQ tensors would otherwise weigh as much as its int8 weights.
   */
  short(prefix: string): string {
    let i = this.#counters.get(prefix) ?? 0;
    while (this.#used.has(`${prefix}${i}`)) i++;
    this.#counters.set(prefix, i + 1);
    const name = `${prefix}${i}`;
    this.#used.add(name);
    return name;
  }
}

/** True where any node carries a subgraph (If, Loop, Scan), whose tensor references we do not rewrite. */
export function hasSubgraphs(graph: onnx.IGraphProto): boolean {
  return (graph.node ?? []).some((n) => (n.attribute ?? []).some((a) => a.g != null || (a.graphs?.length ?? 0) > 0));
}

/**
 * Turns `Constant` nodes holding a tensor into initialisers, so weights that an exporter wrote
 * as Constant nodes (common in PyTorch exports) are quantised like any other.
 */
export function constantsToInitialisers(graph: onnx.IGraphProto): void {
  const keep: onnx.INodeProto[] = [];
  for (const n of graph.node ?? []) {
    const value = (n.attribute ?? []).find((a) => a.name === 'value' && a.t);
    const out = n.output?.[0];
    if (n.opType === 'Constant' && (!n.domain || n.domain === 'ai.onnx') && value?.t && out && (n.attribute ?? []).length === 1) {
      graph.initializer = [...(graph.initializer ?? []), { ...value.t, name: out }];
      continue;
    }
    keep.push(n);
  }
  graph.node = keep;
}
