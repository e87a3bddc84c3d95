/**
 * bench:nab — detectors on the NAB subset (../shared/datasets/nab), scored with our NAB scorer
 * for the standard, reward_low_FP and reward_low_FN profiles; NAB's published reference outputs
 * are scored alongside as a check on the scorer. Writes per-file CSVs under
 * bench/results/nab/<detector>/ and bench/results/nab.json.
 *
 *   npm run bench:nab [-- --detector NAME] [--data-dir DIR] [--no-csv]
 *
 * A detector is `(series, { probationRows }) → Promise<Float64Array>` (bench/nab/detectors.ts);
 * the agent + hub int8 model plugs in by adding an entry to DETECTORS.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { argValue, writeResult, type Metric } from './lib/report.ts';
import { say } from './lib/util.ts';
import { baselineDetector, linearForecastDetector, type Detector } from './nab/detectors.ts';
import { resolveRecipe } from '../cloud-hub/recipes/index.ts';
import { runDetect } from '../simulators/detect/run-detect.ts';
import { listDataFiles, loadWindows, readDetectorOutput, resultPath, scoreCorpus, type ProfileResult } from './nab/index.ts';
import { runDetector } from './nab/run.ts';

const here = dirname(fileURLToPath(import.meta.url));
const nabDir = argValue('data-dir') ?? join(here, '..', '..', 'shared', 'datasets', 'nab');

/**
 * Baselines: a causal raw score through the agent's anomaly likelihood and threshold. History is
 * one day of 5-minute readings; suppression one day too (one alert per incident per day).
 */
/**
 * The product: `edgehive detect`'s loop (agent → MQTT → hub store → training job → int8 model
 * back to the agent → causal scoring), per file, with the shipped nab-forecast recipe (or another).
 */
function edgehiveDetector(variant: 'int8' | 'fp32', recipeName = 'nab-forecast'): Detector {
  const recipe = resolveRecipe(recipeName);
  return async (series, { probationRows }) => {
    const rows = Array.from(series.values, (v) => [v]);
    const r = await runDetect({
      recipe, variant, probationRows,
      series: { features: ['value'], timestamps: Array.from(series.timestamps), timestampText: [], rows },
    });
    return r.scores;
  };
}

export const DETECTORS: Record<string, Detector> = {
  edgehiveInt8: edgehiveDetector('int8'),
  edgehiveFp32: edgehiveDetector('fp32'),
  // The reconstruction recipe through the same loop: its anomaly score is the window's error.
  edgehiveUnivariateInt8: edgehiveDetector('int8', 'nab-univariate'),
  linearForecast: linearForecastDetector(8),
  baselineZscore: baselineDetector({ raw: 'zscore', history: 288, likelihood: { transform: 'log' }, threshold: { level: 0.5, suppressRows: 288 } }),
  baselineResidual: baselineDetector({ raw: 'residual', history: 288, likelihood: { transform: 'log' }, threshold: { level: 0.5, suppressRows: 288 } }),
};

const REFERENCES = ['randomCutForest', 'windowedGaussian'];
/** Random Cut Forest's standard score on this subset (the README's table): the bar to clear. */
const RCF_SUBSET = 53.7;

async function main(): Promise<void> {
  if (!existsSync(join(nabDir, 'combined_windows.json'))) {
    say(`bench:nab skipped: the NAB subset is not at ${nabDir} (pass --data-dir DIR, a folder with data/ and combined_windows.json)`);
    return;
  }
  const windows = loadWindows(join(nabDir, 'combined_windows.json'));
  const only = argValue('detector');
  const names = only ? [only] : Object.keys(DETECTORS);
  const metrics: Record<string, Metric> = {};
  const add = (name: string, results: ProfileResult[], ref: boolean) => {
    for (const r of results) {
      const target = !ref && r.profile === 'standard' ? { target: RCF_SUBSET } : {};
      metrics[`${name}_${r.profile}`] = {
        value: Math.round(r.score * 10) / 10, unit: 'NAB score', better: 'higher', ...target,
        note: `threshold ${r.threshold.toPrecision(4)}, windows ${r.detectedWindows}/${r.windows}, FP ${r.falsePositives}${ref ? ', published output' : ''}`,
      };
    }
  };
  for (const name of names) {
    const detector = DETECTORS[name];
    if (!detector) throw new Error(`unknown detector ${name}; known: ${Object.keys(DETECTORS).join(', ')}`);
    const t0 = performance.now();
    const outputs = await runDetector(name, detector, join(nabDir, 'data'), process.argv.includes('--no-csv') ? undefined : join(here, 'results', 'nab'));
    say(`${name}: ${outputs.size} files in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    add(name, scoreCorpus(outputs, windows), false);
  }
  if (!only) {
    const keys = listDataFiles(join(nabDir, 'data'));
    for (const ref of REFERENCES) {
      const outputs = new Map(keys.map((k) => [k, readDetectorOutput(resultPath(join(nabDir, 'reference-results'), ref, k))]));
      add(`ref_${ref}`, scoreCorpus(outputs, windows), true);
    }
  }
  const int8 = metrics['edgehiveInt8_standard'];
  const fp32 = metrics['edgehiveFp32_standard'];
  if (int8 && fp32) {
    const delta = Math.round((int8.value - fp32.value) * 10) / 10;
    metrics['int8_minus_fp32_standard'] = { value: delta, unit: 'NAB points', better: 'higher', note: `target |Δ| ≤ 2: ${Math.abs(delta) <= 2 ? 'met' : 'missed'}` };
    say(`int8 − fp32 (standard): ${delta} points`);
  }
  writeResult('nab', metrics);
}

await main();
