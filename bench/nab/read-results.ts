/**
 * NAB CSVs: data files (`timestamp,value`) and detector results
 * (`timestamp,value,anomaly_score[,label]`), plus where each lives in the corpus layout.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { EdgehiveError } from '../../shared/errors/index.ts';
import { parseNabTime } from './timestamps.ts';

export interface Series {
  /** UTC milliseconds, non-decreasing. */
  readonly timestamps: Float64Array;
  readonly values: Float64Array;
}

export interface DetectorOutput extends Series {
  readonly scores: Float64Array;
}

function readCsv(path: string, need: readonly string[]): { header: string[]; rows: string[][] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new EdgehiveError('EH_NOT_FOUND', `cannot read ${path}: ${(e as Error).message}`, undefined, { cause: e });
  }
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  for (const col of need) {
    if (!header.includes(col)) throw new EdgehiveError('EH_BAD_REQUEST', `${path}: no "${col}" column (header is "${lines[0] ?? ''}")`);
  }
  return { header, rows: lines.slice(1).map((l) => l.split(',')) };
}

function column(path: string, header: string[], rows: string[][], name: string): Float64Array {
  const c = header.indexOf(name);
  const out = new Float64Array(rows.length);
  rows.forEach((r, i) => {
    const v = Number(r[c]);
    if (!Number.isFinite(v)) throw new EdgehiveError('EH_BAD_REQUEST', `${path}: row ${i + 1}: ${name} ${JSON.stringify(r[c])} is not a number`);
    out[i] = v;
  });
  return out;
}

function times(path: string, rows: string[][], c: number): Float64Array {
  const out = new Float64Array(rows.length);
  rows.forEach((r, i) => {
    out[i] = parseNabTime(r[c] ?? '');
    // Equal neighbours are allowed: some NAB files repeat a timestamp across a DST change.
    if (i > 0 && (out[i] as number) < (out[i - 1] as number)) throw new EdgehiveError('EH_BAD_REQUEST', `${path}: row ${i + 1}: timestamps go backwards`);
  });
  return out;
}

export function readSeries(path: string): Series {
  const { header, rows } = readCsv(path, ['timestamp', 'value']);
  return { timestamps: times(path, rows, header.indexOf('timestamp')), values: column(path, header, rows, 'value') };
}

export function readDetectorOutput(path: string): DetectorOutput {
  const { header, rows } = readCsv(path, ['timestamp', 'value', 'anomaly_score']);
  return {
    timestamps: times(path, rows, header.indexOf('timestamp')),
    values: column(path, header, rows, 'value'),
    scores: column(path, header, rows, 'anomaly_score'),
  };
}

/** Corpus keys ("folder/file.csv") of every data file under `dataDir`, sorted. */
export function listDataFiles(dataDir: string): string[] {
  if (!existsSync(dataDir)) throw new EdgehiveError('EH_NOT_FOUND', `NAB data directory ${dataDir} does not exist`);
  const out: string[] = [];
  for (const folder of readdirSync(dataDir, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    for (const f of readdirSync(join(dataDir, folder.name))) if (f.endsWith('.csv')) out.push(`${folder.name}/${f}`);
  }
  return out.sort();
}

/** NAB's results layout: <root>/<detector>/<folder>/<detector>_<file>.csv. */
export function resultPath(root: string, detector: string, key: string): string {
  return join(root, detector, dirname(key), `${detector}_${basename(key)}`);
}
