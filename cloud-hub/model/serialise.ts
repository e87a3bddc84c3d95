/**
 * A trained ModelGraph as JSON (`graph.json`), for the registry and for `edgehive train --out`.
 * Weights are base64 of little-endian float32, written byte by byte through a DataView so the
 * file is the same on any host. Parsing checks every node against its kind and every weight's
 * data against its shape, and the layer stack against the stated shapes, so a truncated or
 * edited file is refused (EH_MODEL_INVALID) instead of failing later inside the exporter.
 */
import { EdgehiveError } from '../../shared/errors/index.ts';
import { ActivationSchema } from '../recipes/schema.ts';
import { Value } from '@sinclair/typebox/value';
import { GRAPH_NODE_KINDS, type GraphNode, type GraphNodeKind, type ModelGraph, type WeightTensor } from './graph.ts';
import { formatShape, nodeToLayerSpec, outputShapeOf } from './shapes.ts';

export const GRAPH_FORMAT = 'edgehive-graph';
export const GRAPH_FORMAT_VERSION = 1;

export interface SerialisedWeight { shape: number[]; dtype: 'float32'; data: string }
export type SerialisedNode = Record<string, unknown> & { kind: GraphNodeKind };
export interface SerialisedGraph {
  format: typeof GRAPH_FORMAT;
  version: typeof GRAPH_FORMAT_VERSION;
  name: string;
  inputShape: number[];
  outputShape: number[];
  layers: SerialisedNode[];
}

/** Weight fields of each node kind; every other field is a plain JSON value. */
const WEIGHT_FIELDS: Readonly<Record<GraphNodeKind, readonly string[]>> = {
  dense: ['kernel', 'bias'],
  conv1d: ['kernel', 'bias'],
  batchNorm: ['gamma', 'beta', 'movingMean', 'movingVariance'],
  maxPool1d: [], avgPool1d: [], globalAvgPool1d: [], flatten: [], reshape: [], dropout: [], activation: [],
};

export function float32ToBase64(data: Float32Array): string {
  const bytes = new Uint8Array(data.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i] as number, true);
  return Buffer.from(bytes).toString('base64');
}

export function base64ToFloat32(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length % 4 !== 0) throw new EdgehiveError('EH_MODEL_INVALID', `weight data has ${bytes.length} bytes, not a whole number of float32 values`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

export function serialiseGraph(graph: ModelGraph): SerialisedGraph {
  return {
    format: GRAPH_FORMAT,
    version: GRAPH_FORMAT_VERSION,
    name: graph.name,
    inputShape: [...graph.inputShape],
    outputShape: [...graph.outputShape],
    layers: graph.layers.map((node) => {
      const out: SerialisedNode = { kind: node.kind };
      for (const [k, v] of Object.entries(node)) {
        if (k === 'kind') continue;
        if (WEIGHT_FIELDS[node.kind].includes(k)) {
          const w = v as WeightTensor;
          out[k] = { shape: [...w.shape], dtype: 'float32', data: float32ToBase64(w.data) } satisfies SerialisedWeight;
        } else {
          out[k] = Array.isArray(v) ? [...(v as unknown[])] : v;
        }
      }
      return out;
    }),
  };
}

export function graphToJson(graph: ModelGraph): string {
  return JSON.stringify(serialiseGraph(graph));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isShape(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((d) => Number.isInteger(d) && (d as number) >= 1);
}

function bad(where: string, problem: string): never {
  throw new EdgehiveError('EH_MODEL_INVALID', `model graph is invalid: ${where}: ${problem}`, { path: where });
}

function parseWeight(v: unknown, where: string): WeightTensor {
  if (!isRecord(v) || !isShape(v.shape) || typeof v.data !== 'string') bad(where, 'expected { shape: positive integers, dtype: "float32", data: base64 }');
  if (v.dtype !== undefined && v.dtype !== 'float32') bad(`${where}/dtype`, `only float32 weights are stored, got ${JSON.stringify(v.dtype)}`);
  const shape = v.shape as number[];
  const data = base64ToFloat32(v.data as string);
  const want = shape.reduce((a, b) => a * b, 1);
  if (data.length !== want) bad(`${where}/data`, `holds ${data.length} values, shape ${formatShape(shape)} needs ${want}`);
  return { shape, data };
}

const INT_FIELDS = ['units', 'filters', 'kernelSize', 'stride', 'poolSize'] as const;

function parseNode(v: unknown, i: number): GraphNode {
  const where = `/layers/${i}`;
  if (!isRecord(v)) bad(where, 'expected an object');
  const kind = v.kind;
  if (typeof kind !== 'string' || !(GRAPH_NODE_KINDS as readonly string[]).includes(kind)) {
    bad(`${where}/kind`, `unknown layer kind ${JSON.stringify(kind)}; expected one of ${GRAPH_NODE_KINDS.join(', ')}`);
  }
  const node: Record<string, unknown> = { kind };
  for (const [k, val] of Object.entries(v)) {
    if (k === 'kind') continue;
    node[k] = WEIGHT_FIELDS[kind as GraphNodeKind].includes(k) ? parseWeight(val, `${where}/${k}`) : val;
  }
  for (const f of WEIGHT_FIELDS[kind as GraphNodeKind]) if (!(f in node)) bad(`${where}/${f}`, 'missing weights');
  for (const f of INT_FIELDS) if (f in node && !(Number.isInteger(node[f]) && (node[f] as number) >= 1)) bad(`${where}/${f}`, 'expected an integer >= 1');
  if ('activation' in node && !Value.Check(ActivationSchema, node.activation)) bad(`${where}/activation`, `unknown activation ${JSON.stringify(node.activation)}`);
  if (kind === 'reshape' && !isShape(node.shape)) bad(`${where}/shape`, 'expected positive integers');
  return node as unknown as GraphNode;
}

/** Rebuilds a graph from serialiseGraph's output (or its JSON text). */
export function parseGraph(input: unknown): ModelGraph {
  let v = input;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch (e) {
      throw new EdgehiveError('EH_MODEL_INVALID', `model graph is not valid JSON: ${(e as Error).message}`);
    }
  }
  if (!isRecord(v)) bad('/', 'expected an object');
  if (v.format !== GRAPH_FORMAT) bad('/format', `expected "${GRAPH_FORMAT}", got ${JSON.stringify(v.format)}`);
  if (v.version !== GRAPH_FORMAT_VERSION) bad('/version', `expected ${GRAPH_FORMAT_VERSION}, got ${JSON.stringify(v.version)}`);
  if (typeof v.name !== 'string') bad('/name', 'expected a string');
  if (!isShape(v.inputShape)) bad('/inputShape', 'expected positive integers');
  if (!isShape(v.outputShape)) bad('/outputShape', 'expected positive integers');
  if (!Array.isArray(v.layers)) bad('/layers', 'expected an array');
  const layers = (v.layers as unknown[]).map(parseNode);
  const graph: ModelGraph = { name: v.name as string, inputShape: v.inputShape as number[], outputShape: v.outputShape as number[], layers };
  const computed = outputShapeOf(graph.inputShape, layers.map(nodeToLayerSpec), 'EH_MODEL_INVALID');
  if (formatShape(computed) !== formatShape(graph.outputShape)) bad('/outputShape', `says ${formatShape(graph.outputShape)} but the layers produce ${formatShape(computed)}`);
  return graph;
}
