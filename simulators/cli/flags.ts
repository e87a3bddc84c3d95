import { EdgehiveError } from '../../shared/errors/index.ts';

/** A numeric flag, or undefined when absent; a clear error when it is not a positive number. */
export function numberFlag(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new EdgehiveError('EH_CONFIG_INVALID', `${name} must be a number >= 0, got ${JSON.stringify(v)}`);
  return n;
}
