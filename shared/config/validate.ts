/**
 * Validation of JSON documents (config, scenarios, API bodies) against TypeBox schemas, with
 * errors that name the bad field by its JSON path and say what was expected.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { EdgehiveError, type ErrorCode } from '../errors/index.ts';

export interface FieldProblem { path: string; message: string }

export function schemaProblems(schema: TSchema, value: unknown, max = 10): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const e of Value.Errors(schema, value)) {
    out.push({ path: e.path || '/', message: e.message });
    if (out.length >= max) break;
  }
  return out;
}

/**
 * Applies schema defaults to a copy of `value`, then checks it. Throws `code` with every problem
 * listed ("/uplink/batchSize: Expected number").
 */
export function parseWithSchema<S extends TSchema>(schema: S, value: unknown, what: string, code: ErrorCode = 'EH_CONFIG_INVALID'): Static<S> {
  const withDefaults = Value.Default(schema, Value.Clone(value));
  const problems = schemaProblems(schema, withDefaults);
  if (problems.length > 0) {
    const list = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    throw new EdgehiveError(code, `${what} is invalid: ${list}`, { problems });
  }
  return withDefaults as Static<S>;
}
