/**
 * `edgehive detect --recipe R --input series.csv --output scores.csv`: the real detection loop on
 * one series (see simulators/detect/run-detect.ts), writing timestamp,value,anomaly_score.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { resolveRecipe } from '../../cloud-hub/recipes/index.ts';
import { EdgehiveError } from '../../shared/errors/index.ts';
import { formatScoresCsv, readSeriesCsv } from '../detect/series-csv.ts';
import { runDetect } from '../detect/run-detect.ts';

export async function runDetectCommand(argv: string[]): Promise<number> {
  const { values: f } = parseArgs({
    args: argv,
    options: { recipe: { type: 'string', default: 'nab-forecast' }, input: { type: 'string' }, output: { type: 'string' }, variant: { type: 'string', default: 'int8' } },
    strict: true,
  });
  if (f.input === undefined || f.output === undefined) throw new EdgehiveError('EH_CONFIG_INVALID', 'edgehive detect needs --input series.csv and --output scores.csv');
  if (f.variant !== 'int8' && f.variant !== 'fp32') throw new EdgehiveError('EH_CONFIG_INVALID', `--variant must be int8 or fp32, got ${JSON.stringify(f.variant)}`);
  const recipe = resolveRecipe(f.recipe);
  const series = await readSeriesCsv(f.input);
  const missing = recipe.input.features.filter((x) => !series.features.includes(x));
  if (missing.length > 0) {
    throw new EdgehiveError('EH_CONFIG_INVALID', `recipe ${recipe.name} needs column(s) ${missing.join(', ')}; ${f.input} has ${series.features.join(', ')}`);
  }
  const t0 = Date.now();
  const r = await runDetect({ recipe, series, variant: f.variant, onProgress: (line) => console.log(line) });
  await writeFile(f.output, formatScoresCsv(series, r.scores), 'utf8');
  console.log(`scored ${series.rows.length} rows (${r.probationRows} probationary) with ${recipe.name} v${r.model.version} ${r.model.variant} in ${((Date.now() - t0) / 1000).toFixed(1)} s: `
    + `${r.detections} detection(s); ingest ${r.timings.ingestMs} ms, train ${r.timings.trainMs} ms, score ${r.timings.scoreMs} ms`);
  console.log(`wrote ${f.output}`);
  return 0;
}
