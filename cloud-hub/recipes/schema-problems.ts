/**
 * Schema problems of a recipe, phrased for a person. TypeBox reports a failed union as
 * "Expected union value" at the union's path, which names neither the bad field nor what would
 * be accepted; here such a problem is resolved against the variant the value means (a layer's
 * `type`, a string for a literal) and reported at the field that is really wrong.
 */
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { FieldProblem } from '../../shared/config/validate.ts';

const MAX_PROBLEMS = 10;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function variantsOf(schema: TSchema): TSchema[] | null {
  const anyOf = (schema as { anyOf?: TSchema[] }).anyOf;
  return Array.isArray(anyOf) ? anyOf : null;
}

function constOf(s: TSchema): unknown {
  return (s as unknown as { const?: unknown }).const;
}

function describeVariant(s: TSchema): string {
  if ('const' in s) return JSON.stringify(constOf(s));
  const props = (s as { properties?: Record<string, TSchema> }).properties;
  if (s.type === 'object' && props) return `{ ${Object.keys(props).join(', ')} }`;
  return String(s.type ?? 'value');
}

/** The values a discriminating `type` property accepts in one object variant. */
function typeLiterals(variant: TSchema): string[] {
  const t = (variant as { properties?: Record<string, TSchema> }).properties?.type;
  if (!t) return [];
  if ('const' in t) return [String(constOf(t))];
  return (variantsOf(t) ?? []).filter((v) => 'const' in v).map((v) => String(constOf(v)));
}

function refineUnion(path: string, schema: TSchema, value: unknown, depth: number): FieldProblem[] {
  const variants = variantsOf(schema) ?? [];
  // A discriminated union of objects (layers): check the value against the variant its `type` names.
  const discriminated = variants.filter((v) => typeLiterals(v).length > 0);
  if (discriminated.length === variants.length && variants.length > 0) {
    if (!isRecord(value)) return [{ path, message: 'Expected an object with a "type"' }];
    const all = discriminated.flatMap(typeLiterals);
    const match = discriminated.find((v) => typeLiterals(v).includes(String(value.type)));
    if (!match) return [{ path: `${path}/type`, message: `unknown type ${JSON.stringify(value.type)}; expected one of ${all.join(', ')}` }];
    return problemsOf(match, value, path, depth + 1);
  }
  // Otherwise: an object value is checked against the object variants (one of them, if only one),
  // anything else is told the accepted choices.
  const objects = variants.filter((v) => v.type === 'object');
  if (isRecord(value) && objects.length === 1) return problemsOf(objects[0] as TSchema, value, path, depth + 1);
  return [{ path, message: `got ${JSON.stringify(value)}; expected one of ${variants.map(describeVariant).join(', ')}` }];
}

function problemsOf(schema: TSchema, value: unknown, prefix: string, depth: number): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const e of Value.Errors(schema, value)) {
    const path = prefix + (e.path === '' || e.path === '/' ? '' : e.path);
    if (variantsOf(e.schema) && depth < 4) out.push(...refineUnion(path || '/', e.schema, e.value, depth));
    else out.push({ path: path || '/', message: e.message });
    if (out.length >= MAX_PROBLEMS) break;
  }
  return out.slice(0, MAX_PROBLEMS);
}

/** Every schema problem (at most 10), each at the field that is wrong. */
export function friendlySchemaProblems(schema: TSchema, value: unknown): FieldProblem[] {
  return problemsOf(schema, value, '', 0);
}
