/**
 * Canonical JSON: object keys sorted by UTF-16 code unit, no whitespace, numbers in JavaScript's
 * shortest round-trip form (-0 written as 0), only finite numbers, no undefined. One value has
 * exactly one encoding, so a signature over the bytes is a signature over the value, and a
 * document that is not in canonical form can be refused instead of being parsed two ways.
 */
import { EdgehiveError, type ErrorCode } from '../errors/index.ts';

/** Deeper than any edgehive document; stops hostile nesting before it exhausts the stack. */
const MAX_DEPTH = 64;

function refuse(code: ErrorCode, path: string, what: string): never {
  throw new EdgehiveError(code, `cannot write ${path || '/'} as canonical JSON: ${what}`, { path: path || '/' });
}

function write(v: unknown, path: string, depth: number, out: string[], code: ErrorCode): void {
  if (depth > MAX_DEPTH) refuse(code, path, `nested deeper than ${MAX_DEPTH} levels`);
  if (v === null) { out.push('null'); return; }
  switch (typeof v) {
    case 'boolean': out.push(v ? 'true' : 'false'); return;
    case 'string': out.push(JSON.stringify(v)); return;
    case 'number':
      if (!Number.isFinite(v)) refuse(code, path, `${v} is not a finite number; JSON has no NaN or Infinity`);
      out.push(Object.is(v, -0) ? '0' : JSON.stringify(v));
      return;
    case 'object': break;
    case 'undefined': return refuse(code, path, 'value is undefined; leave the field out instead');
    default: return refuse(code, path, `a ${typeof v} has no JSON form`);
  }
  if (Array.isArray(v)) {
    out.push('[');
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out.push(',');
      write(v[i], `${path}/${i}`, depth + 1, out, code);
    }
    out.push(']');
    return;
  }
  const proto = Object.getPrototypeOf(v) as unknown;
  // Dates, typed arrays, Maps and class instances would each need a rule of their own.
  if (proto !== Object.prototype && proto !== null) refuse(code, path, `a ${(v as object).constructor?.name ?? 'non-plain object'} is not a plain object; convert it first`);
  const rec = v as Record<string, unknown>;
  const keys = Object.keys(rec).sort();
  out.push('{');
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (i > 0) out.push(',');
    out.push(JSON.stringify(k), ':');
    write(rec[k], `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, depth + 1, out, code);
  }
  out.push('}');
}

/** The canonical JSON text of `value`. Throws EH_BAD_REQUEST naming the JSON pointer of a value JSON cannot hold. */
export function canonicalJson(value: unknown, code: ErrorCode = 'EH_BAD_REQUEST'): string {
  const out: string[] = [];
  write(value, '', 0, out, code);
  return out.join('');
}

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function canonicalBytes(value: unknown, code: ErrorCode = 'EH_BAD_REQUEST'): Uint8Array {
  return utf8.encode(canonicalJson(value, code));
}

/**
 * Parses bytes that must be canonical JSON. Anything else (bad UTF-8, whitespace, unsorted or
 * duplicate keys, other number spellings) is refused with `code`, so the parsed value is exactly
 * what a signature over these bytes covers.
 */
export function parseCanonical(bytes: Uint8Array, what: string, code: ErrorCode = 'EH_BUNDLE_MALFORMED'): unknown {
  let text: string;
  let value: unknown;
  try {
    text = strictUtf8.decode(bytes);
    value = JSON.parse(text);
  } catch (e) {
    throw new EdgehiveError(code, `${what} is not valid UTF-8 JSON (${(e as Error).message}); rebuild it with edgehive's tools`);
  }
  let again: string;
  try {
    again = canonicalJson(value, code);
  } catch (e) {
    throw new EdgehiveError(code, `${what} cannot be canonical JSON: ${(e as Error).message}`);
  }
  if (again !== text) {
    let at = 0;
    while (at < text.length && text[at] === again[at]) at++;
    throw new EdgehiveError(code, `${what} is JSON but not canonical JSON (differs at character ${at}: whitespace, key order, duplicate keys or number form); rebuild it with edgehive's tools rather than editing it`, { at });
  }
  return value;
}
