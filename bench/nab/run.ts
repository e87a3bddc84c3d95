/**
 * Running a detector over the NAB corpus: every data file through the detector, each output
 * written as NAB's results layout (<root>/<detector>/<folder>/<detector>_<file>.csv with
 * timestamp,value,anomaly_score) and kept in memory for the scorer.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { Detector } from './detectors.ts';
import { listDataFiles, readSeries, resultPath, type DetectorOutput } from './read-results.ts';
import { probationRows } from './score-file.ts';
import { formatNabTime } from './timestamps.ts';

export function writeDetectorCsv(path: string, out: DetectorOutput): void {
  const lines = ['timestamp,value,anomaly_score'];
  for (let i = 0; i < out.scores.length; i++) lines.push(`${formatNabTime(out.timestamps[i] as number)},${out.values[i]},${out.scores[i]}`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, lines.join('\n') + '\n');
}

export async function runDetector(name: string, detector: Detector, dataDir: string, resultsRoot: string | undefined): Promise<Map<string, DetectorOutput>> {
  const outputs = new Map<string, DetectorOutput>();
  for (const key of listDataFiles(dataDir)) {
    const series = readSeries(join(dataDir, key));
    const scores = await detector(series, { probationRows: probationRows(series.values.length) });
    if (scores.length !== series.values.length) throw new EdgehiveError('EH_BAD_REQUEST', `detector ${name} gave ${scores.length} scores for ${series.values.length} rows of ${key}`);
    for (const s of scores) {
      if (!(s >= 0 && s <= 1)) throw new EdgehiveError('EH_BAD_REQUEST', `detector ${name} gave anomaly score ${s} on ${key}; scores must be in [0, 1]`);
    }
    const out = { ...series, scores };
    outputs.set(key, out);
    if (resultsRoot !== undefined) writeDetectorCsv(resultPath(resultsRoot, name, key), out);
  }
  return outputs;
}
