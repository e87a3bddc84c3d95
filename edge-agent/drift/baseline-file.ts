/**
 * A learned device baseline on disk (dataDir/drift/baseline-<key>.json), so a restarted agent
 * does not learn it again — a relearned baseline would take in whatever drift happened since,
 * and the device would be blind for another day. Written atomically (bundles/atomic-file.ts): a
 * crash leaves the old file or the new one.
 *
 * The file names the bundle reference it was learned against (a digest) and the number of
 * readings: a new bundle's reference, or a changed baselineReadings, makes it stale, and the
 * agent learns again.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { checkReference, ReferenceStatsSchema, type ReferenceStats } from '../../shared/drift/index.ts';
import { isEdgehiveError } from '../../shared/errors/index.ts';
import { writeFileAtomic } from '../bundles/atomic-file.ts';

export const BASELINE_FILE_FORMAT = 1;

const BaselineFileSchema = Type.Object({
  format: Type.Literal(BASELINE_FILE_FORMAT),
  /** The model it was learned for (bundle-model.ts modelIdOf); for people reading the file. */
  model: Type.String(),
  /** sha256 of the bundle reference's JSON. */
  referenceDigest: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  baselineReadings: Type.Integer({ minimum: 1 }),
  learnedMs: Type.Integer({ minimum: 0 }),
  reference: ReferenceStatsSchema,
}, { additionalProperties: false });
export type BaselineFile = Static<typeof BaselineFileSchema>;

export function referenceDigest(reference: ReferenceStats): string {
  return createHash('sha256').update(JSON.stringify(reference)).digest('hex');
}

/** The file for a model id or bundle id: characters outside [A-Za-z0-9._-] become '_'. */
export function baselinePath(dir: string, key: string): string {
  return join(dir, `baseline-${key.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
}

export type LoadedBaseline =
  | { kind: 'found'; reference: ReferenceStats; learnedMs: number }
  | { kind: 'none' }
  /** There, but not usable for this reference and settings (why says which); it is learned again and overwritten. */
  | { kind: 'stale'; why: string };

export function loadBaseline(path: string, bundleReference: ReferenceStats, baselineReadings: number): LoadedBaseline {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { kind: 'stale', why: `not JSON: ${(e as Error).message}` };
  }
  if (!Value.Check(BaselineFileSchema, json)) {
    const err = [...Value.Errors(BaselineFileSchema, json)][0];
    return { kind: 'stale', why: `not a baseline file: ${err ? `${err.path || '/'} ${err.message}` : 'invalid'}` };
  }
  if (json.referenceDigest !== referenceDigest(bundleReference)) return { kind: 'stale', why: 'learned against another bundle reference' };
  if (json.baselineReadings !== baselineReadings) return { kind: 'stale', why: `learned from ${json.baselineReadings} readings, baselineReadings is ${baselineReadings}` };
  const names = (r: ReferenceStats) => r.features.map((f) => f.name).join('\n');
  if (names(json.reference) !== names(bundleReference)) return { kind: 'stale', why: 'other features than the bundle reference' };
  try {
    checkReference(json.reference, 'learned baseline');
  } catch (e) {
    if (!isEdgehiveError(e)) throw e;
    return { kind: 'stale', why: e.message };
  }
  return { kind: 'found', reference: json.reference, learnedMs: json.learnedMs };
}

export function saveBaseline(path: string, file: Omit<BaselineFile, 'format'>): void {
  const body: BaselineFile = { format: BASELINE_FILE_FORMAT, ...file };
  writeFileAtomic(path, `${JSON.stringify(body)}\n`);
}
