/**
 * A centrifugal pump: vibration RMS (mm/s), bearing temperature (°C), discharge pressure (bar),
 * motor current (A). Bearings wear slowly (vibration and temperature creep over weeks of fleet
 * time); some pumps, chosen by the seed, then fail in one of three ways at a seeded time:
 * - bearing: vibration and bearing temperature climb, current rises a little;
 * - cavitation: discharge pressure drops and vibration turns noisy;
 * - seal-leak: pressure sags slowly, current and temperature rise slightly.
 * Scenarios can script the same failures (`failure` sensor faults) and measurement faults.
 */
import { applyMeasurementFaults, PUMP_FAILURE_MODES, scriptedSeverity, severity, type PumpFailureMode } from './faults.ts';
import { clamp, DAY_MS, hourOfDay, makeSampler, PARAM_CHANNEL, WEEK_MS, type ModelInput, type SensorModel } from './model.ts';
import { DeviceRandom } from '../random/hash-random.ts';

export const PUMP_FEATURES = ['vibration_rms', 'bearing_temp', 'discharge_pressure', 'motor_current'] as const;

/** Share of pumps that develop a failure on their own. */
export const PUMP_FAILURE_SHARE = 0.4;

export interface PumpParams {
  originMs: number;
  vib0: number; temp0: number; press0: number; current0: number;
  initialWear: number; wearPerWeek: number;
  loadPhaseH: number;
  failure: { mode: PumpFailureMode; onsetMs: number; rampMs: number } | null;
}

function params(rnd: DeviceRandom, originMs: number): PumpParams {
  const p = (c: number, lo: number, hi: number) => rnd.between(0, PARAM_CHANNEL + c, lo, hi);
  const fails = rnd.uniform(0, PARAM_CHANNEL + 10) < PUMP_FAILURE_SHARE;
  const mode = PUMP_FAILURE_MODES[Math.min(2, Math.floor(rnd.uniform(0, PARAM_CHANNEL + 11) * 3))]!;
  return {
    originMs,
    vib0: p(0, 1.4, 2.4), temp0: p(1, 42, 52), press0: p(2, 5.5, 7.5), current0: p(3, 11, 16),
    initialWear: p(4, 0, 0.3), wearPerWeek: p(5, 0.01, 0.05),
    loadPhaseH: p(6, 0, 24),
    failure: fails ? { mode, onsetMs: originMs + p(12, 3, 28) * DAY_MS, rampMs: p(13, 2, 7) * DAY_MS } : null,
  };
}

function failureSeverity(pp: PumpParams, input: ModelInput<PumpParams>, mode: PumpFailureMode): number {
  const own = pp.failure && pp.failure.mode === mode ? severity(pp.failure.onsetMs, pp.failure.rampMs, input.tsMs) : 0;
  return Math.max(own, scriptedSeverity(input.faults, mode, input.tsMs));
}

function values(input: ModelInput<PumpParams>): number[] {
  const { params: pp, rnd, index: i, tsMs } = input;
  const wear = pp.initialWear + Math.max(0, tsMs - pp.originMs) / WEEK_MS * pp.wearPerWeek;
  // Demand follows the day: 75..100 % load.
  const load = 0.875 + 0.125 * Math.sin(2 * Math.PI * (hourOfDay(tsMs) - pp.loadPhaseH) / 24);
  const bearing = failureSeverity(pp, input, 'bearing');
  const cavitation = failureSeverity(pp, input, 'cavitation');
  const seal = failureSeverity(pp, input, 'seal-leak');

  const vibMean = pp.vib0 * (1 + 0.8 * wear) * (0.9 + 0.1 * load) + 6 * bearing + 1.5 * cavitation;
  const vibSd = vibMean * (0.05 + 0.25 * cavitation) + 0.3 * bearing;
  const vib = Math.max(0.05, vibMean + vibSd * rnd.gaussian(i, 0));

  const temp = pp.temp0 + 6 * wear + 4 * (load - 0.875) + 25 * bearing + 3 * seal + 0.3 * rnd.gaussian(i, 1);

  const pressMean = pp.press0 * load * (1 - 0.35 * cavitation - 0.15 * seal) * (1 - 0.02 * wear);
  const press = Math.max(0, pressMean + (0.05 + 0.4 * cavitation) * rnd.gaussian(i, 2));

  const current = pp.current0 * load * (1 + 0.05 * wear + 0.1 * bearing + 0.05 * seal - 0.1 * cavitation) + 0.15 * rnd.gaussian(i, 3);

  const out = [vib, clamp(temp, -20, 150), press, Math.max(0, current)];
  return applyMeasurementFaults(PUMP_FEATURES, out, input.faults, tsMs, (c) => rnd.uniform(i, c));
}

export const pumpModel: SensorModel<PumpParams> = { name: 'pump', features: PUMP_FEATURES, params, values };

/** Pure: reading `index` (at `tsMs`) of pump `deviceId` under `seed`, with `faults` applied. */
export const samplePump = makeSampler(pumpModel);

/** A pump's constants, including the failure it develops by itself, if any. */
export function pumpParams(seed: number, deviceId: string, originMs: number): PumpParams {
  return params(new DeviceRandom(seed, deviceId), originMs);
}
