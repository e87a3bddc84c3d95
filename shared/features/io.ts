/**
 * Reading and writing `preprocess.json`: parse with errors that name the field, canonical
 * serialisation (fixed key order, so the same spec always gives the same bytes and the same
 * artefact hash), and explicit file helpers, the only I/O in shared/features/.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { TSchema } from '@sinclair/typebox';
import { EdgehiveError } from '../errors/index.ts';
import { schemaProblems, type FieldProblem } from '../config/validate.ts';
import {
  ImputeConstant, ImputeLast, ImputeMean, ImputeMedian, NormaliseNone, NormaliseRobust, NormaliseZscore,
  PreprocessSpecSchema, type FeatureStats, type Imputation, type Normalisation, type PreprocessSpec,
} from './spec-schema.ts';

const MAX_PROBLEMS = 10;

const imputationVariants: Readonly<Record<string, TSchema>> = { mean: ImputeMean, median: ImputeMedian, constant: ImputeConstant, last: ImputeLast };
const normalisationVariants: Readonly<Record<string, TSchema>> = { zscore: NormaliseZscore, robust: NormaliseRobust, none: NormaliseNone };
const unionFields: Readonly<Record<string, Readonly<Record<string, TSchema>>>> = { imputation: imputationVariants, normalisation: normalisationVariants };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * TypeBox reports a failed union as "Expected union value" at the entry. Entries here are
 * discriminated by `method`, so check the entry against the variant its method names and report
 * that variant's problems ("/imputation/2/value: Expected number").
 */
function refineUnionProblem(p: FieldProblem, value: unknown): FieldProblem[] {
  const m = /^\/(imputation|normalisation)\/(\d+)$/.exec(p.path);
  if (!m || !isRecord(value)) return [p];
  const field = m[1] as string;
  const variants = unionFields[field] as Readonly<Record<string, TSchema>>;
  const list = value[field];
  const entry = Array.isArray(list) ? list[Number(m[2])] : undefined;
  if (!isRecord(entry)) return [{ path: p.path, message: 'Expected object' }];
  const method = entry['method'];
  const variant = typeof method === 'string' && Object.hasOwn(variants, method) ? variants[method] : undefined;
  if (!variant) return [{ path: `${p.path}/method`, message: `Expected one of ${Object.keys(variants).join(', ')}` }];
  const inner = schemaProblems(variant, entry, MAX_PROBLEMS).map((q) => ({ path: p.path + (q.path === '/' ? '' : q.path), message: q.message }));
  return inner.length > 0 ? inner : [p];
}

/** Rules a JSON schema cannot say: parallel lists as long as `features`, unique names, row counts. */
function crossFieldProblems(spec: PreprocessSpec): FieldProblem[] {
  const out: FieldProblem[] = [];
  const nf = spec.features.length;
  const seen = new Map<string, number>();
  spec.features.forEach((name, i) => {
    const first = seen.get(name);
    if (first !== undefined) out.push({ path: `/features/${i}`, message: `duplicate feature name "${name}" (also /features/${first})` });
    else seen.set(name, i);
  });
  const lists: [string, unknown[]][] = [['/imputation', spec.imputation], ['/normalisation', spec.normalisation], ['/fitted/stats', spec.fitted.stats]];
  for (const [path, list] of lists) {
    if (list.length !== nf) out.push({ path, message: `has ${list.length} entries for ${nf} features (one per feature, in feature order)` });
  }
  spec.fitted.stats.forEach((s, i) => {
    if (s.count + s.missing !== spec.fitted.rows) {
      out.push({ path: `/fitted/stats/${i}`, message: `count + missing is ${s.count + s.missing}, /fitted/rows is ${spec.fitted.rows}` });
    }
  });
  return out;
}

/** Every problem with `value` as a spec, each naming its field by JSON path; empty when valid. */
export function preprocessSpecProblems(value: unknown): FieldProblem[] {
  const problems = schemaProblems(PreprocessSpecSchema, value, MAX_PROBLEMS).flatMap((p) => refineUnionProblem(p, value));
  if (problems.length > 0) return problems.slice(0, MAX_PROBLEMS);
  return crossFieldProblems(value as PreprocessSpec).slice(0, MAX_PROBLEMS);
}

function invalid(what: string, problems: FieldProblem[]): EdgehiveError {
  const list = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
  return new EdgehiveError('EH_CONFIG_INVALID', `${what} is invalid: ${list}`, { problems });
}

/** Throws EH_CONFIG_INVALID naming every bad field, in the same form as parseWithSchema. */
export function assertPreprocessSpec(value: unknown, what = 'preprocess.json'): asserts value is PreprocessSpec {
  const problems = preprocessSpecProblems(value);
  if (problems.length > 0) throw invalid(what, problems);
}

/**
 * Parses a spec from JSON text or an already-parsed value. Returns a fresh canonical copy (no
 * extra keys, fixed key order); the input is not kept.
 */
export function parsePreprocessSpec(json: unknown, what = 'preprocess.json'): PreprocessSpec {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json) as unknown;
    } catch (e) {
      throw new EdgehiveError('EH_CONFIG_INVALID', `${what} is not valid JSON: ${(e as Error).message}`, { problems: [{ path: '/', message: 'not valid JSON' }] }, { cause: e });
    }
  }
  assertPreprocessSpec(value, what);
  return canonical(value);
}

function canonicalImputation(m: Imputation): Imputation {
  return m.method === 'last' ? { method: m.method, fallback: m.fallback } : { method: m.method, value: m.value };
}

function canonicalNormalisation(n: Normalisation): Normalisation {
  switch (n.method) {
    case 'zscore': return { method: n.method, mean: n.mean, std: n.std };
    case 'robust': return { method: n.method, median: n.median, iqr: n.iqr };
    case 'none': return { method: n.method };
  }
}

function canonicalStats(s: FeatureStats): FeatureStats {
  return { count: s.count, missing: s.missing, mean: s.mean, std: s.std, min: s.min, max: s.max, q1: s.q1, median: s.median, q3: s.q3, iqr: s.iqr };
}

/** A deep copy with keys in schema order. */
function canonical(spec: PreprocessSpec): PreprocessSpec {
  return {
    version: spec.version,
    features: [...spec.features],
    imputation: spec.imputation.map(canonicalImputation),
    normalisation: spec.normalisation.map(canonicalNormalisation),
    window: { length: spec.window.length, stride: spec.window.stride },
    fitted: { rows: spec.fitted.rows, stats: spec.fitted.stats.map(canonicalStats) },
  };
}

/**
 * Canonical JSON text of a valid spec: keys in schema order, lists in feature order, numbers in
 * JavaScript's shortest round-trip form (parsing gives back the same doubles), two-space indent,
 * one trailing newline. The same spec always gives the same bytes. Throws EH_CONFIG_INVALID for
 * an invalid spec rather than writing one.
 */
export function serialisePreprocessSpec(spec: PreprocessSpec): string {
  assertPreprocessSpec(spec, 'preprocess spec');
  return `${JSON.stringify(canonical(spec), null, 2)}\n`;
}

/** Reads and parses a `preprocess.json` file; errors name the file and the field. */
export async function loadPreprocessSpec(file: string): Promise<PreprocessSpec> {
  return parsePreprocessSpec(await readFile(file, 'utf8'), file);
}

/** Writes the canonical JSON to `file` through a temporary file and a rename (never half-written). */
export async function savePreprocessSpec(file: string, spec: PreprocessSpec): Promise<void> {
  const text = serialisePreprocessSpec(spec);
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, file);
}
