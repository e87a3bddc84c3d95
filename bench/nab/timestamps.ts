/** NAB timestamps ("2014-02-14 14:30:00", windows add ".000000"), read as UTC milliseconds. */
import { EdgehiveError } from '../../shared/errors/index.ts';

const RE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z?$/;

export function parseNabTime(text: string): number {
  const m = RE.exec(text.trim());
  if (!m) throw new EdgehiveError('EH_BAD_REQUEST', `timestamp ${JSON.stringify(text)} is not "YYYY-MM-DD hh:mm:ss[.ffffff]"`);
  const frac = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) + Math.round(frac);
}

/** Back to NAB's CSV form, "YYYY-MM-DD hh:mm:ss" (UTC). */
export function formatNabTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}
