/**
 * What a sensor model is: a list of features and a pure function from (device, reading index,
 * timestamp, faults) to values. Per-device constants are drawn once from the seed (`params`), so
 * the hot path only hashes the per-reading noise.
 */
import { DeviceRandom } from '../random/hash-random.ts';
import type { SensorFault } from './faults.ts';

export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;

/** Channels at index 0 reserved for per-device constants (reading noise uses channels < 100). */
export const PARAM_CHANNEL = 1000;

export interface ModelInput<P> {
  params: P;
  rnd: DeviceRandom;
  index: number;
  tsMs: number;
  faults: readonly SensorFault[];
}

export interface SensorModel<P = unknown> {
  readonly name: string;
  readonly features: readonly string[];
  /** Per-device constants: nominal levels, wear rate, seeded failure and its onset. */
  params(rnd: DeviceRandom, originMs: number): P;
  /** Values of one reading, in `features` order; NaN marks a missing value. */
  values(input: ModelInput<P>): number[];
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** Hour of the (UTC) day, fractional, 0 <= h < 24. */
export function hourOfDay(tsMs: number): number {
  return (((tsMs % DAY_MS) + DAY_MS) % DAY_MS) / 3_600_000;
}

/**
 * Draws a pure `sample` function for a model, caching per-device constants (a cache of derived
 * values only: results do not depend on call order).
 */
export function makeSampler<P>(model: SensorModel<P>) {
  const cache = new Map<string, { rnd: DeviceRandom; params: P }>();
  return function sample(seed: number, deviceId: string, index: number, tsMs: number, faults: readonly SensorFault[], originMs: number): number[] {
    const k = `${seed}|${deviceId}|${originMs}`;
    let e = cache.get(k);
    if (!e) {
      const rnd = new DeviceRandom(seed, deviceId);
      e = { rnd, params: model.params(rnd, originMs) };
      if (cache.size > 10_000) cache.clear();
      cache.set(k, e);
    }
    return model.values({ params: e.params, rnd: e.rnd, index, tsMs, faults });
  };
}
