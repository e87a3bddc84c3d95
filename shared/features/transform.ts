/**
 * Applying a spec to readings: impute, then normalise, then round to float32 (the model's input
 * type). One scalar function does the work for both paths, so the agent's streaming path (one
 * reading at a time) and the trainer's batch path give bit-identical float32 values.
 */
import { EdgehiveError } from '../errors/index.ts';
import { isMissing } from './stats.ts';
import type { PreprocessSpec } from './spec-schema.ts';

/** What the stream remembers between readings: the last observed raw value of each feature. */
export interface TransformState {
  readonly last: Float64Array;
  /** 1 once feature i has been observed since the state was created or reset. */
  readonly seen: Uint8Array;
}

/** Transformed rows, row-major: `data[r * features + j]`. */
export interface FeatureMatrix {
  readonly data: Float32Array;
  readonly shape: readonly [rows: number, features: number];
}

export function createTransformState(spec: PreprocessSpec): TransformState {
  const nf = spec.features.length;
  return { last: new Float64Array(nf), seen: new Uint8Array(nf) };
}

/** Forgets every carried value, as after a gap in the stream. */
export function resetTransformState(state: TransformState): void {
  state.last.fill(0);
  state.seen.fill(0);
}

/**
 * One reading → one model input row. Per feature: a missing value (NaN, or infinite) becomes the
 * imputation value (`mean`/`median`/`constant`: the entry's value; `last`: the last observed value
 * of this stream, else the entry's fallback), in raw units; the raw value is then normalised
 * (zscore: (x − mean) / std; robust: (x − median) / iqr; none: x) in double precision and
 * stored as float32. Observed values update `state`. Writes into `out` when given.
 */
export function imputeAndNormalise(row: ArrayLike<number>, spec: PreprocessSpec, state: TransformState, out?: Float32Array): Float32Array {
  const nf = spec.features.length;
  if (row.length !== nf) throw new EdgehiveError('EH_BAD_REQUEST', `reading has ${row.length} values for ${nf} features`);
  if (state.last.length !== nf || state.seen.length !== nf) throw new EdgehiveError('EH_BAD_REQUEST', `transform state is for ${state.last.length} features, spec has ${nf}`);
  const dst = out ?? new Float32Array(nf);
  if (dst.length < nf) throw new EdgehiveError('EH_BAD_REQUEST', `output has room for ${dst.length} values, spec has ${nf} features`);
  for (let j = 0; j < nf; j++) {
    let x = row[j] as number;
    if (isMissing(x)) {
      const imp = spec.imputation[j]!;
      if (imp.method === 'last') x = state.seen[j] === 1 ? state.last[j]! : imp.fallback;
      else x = imp.value;
    } else {
      state.last[j] = x;
      state.seen[j] = 1;
    }
    const norm = spec.normalisation[j]!;
    switch (norm.method) {
      case 'zscore': x = (x - norm.mean) / norm.std; break;
      case 'robust': x = (x - norm.median) / norm.iqr; break;
      case 'none': break;
    }
    dst[j] = x;
  }
  return dst;
}

/**
 * The batch path: every row in order through `imputeAndNormalise` with one fresh state (so
 * `last` carries forward across rows exactly as it does on a stream that starts at row 0).
 */
export function transformRows(rows: readonly ArrayLike<number>[], spec: PreprocessSpec): FeatureMatrix {
  const nf = spec.features.length;
  const data = new Float32Array(rows.length * nf);
  const state = createTransformState(spec);
  rows.forEach((row, r) => {
    imputeAndNormalise(row, spec, state, data.subarray(r * nf, (r + 1) * nf));
  });
  return { data, shape: [rows.length, nf] };
}
