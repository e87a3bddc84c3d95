/**
 * A rooftop HVAC unit cooling one room: room and supply air temperature (°C), outdoor temperature
 * (°C) and the compressor state (0/1). Outdoor temperature follows a daily sinusoid (coolest at
 * 05:00, warmest at 15:00 UTC); the setpoint follows an occupancy schedule. The compressor's duty
 * cycle comes from the cooling load, and whether it is on at a given instant from the phase of a
 * fixed-length cycle: a function of time alone, no hidden state.
 * Failures: refrigerant-leak (capacity falls: longer duty, warmer supply air), compressor-failure
 * (never runs: the room floats up towards outdoor temperature).
 */
import { DeviceRandom } from '../random/hash-random.ts';
import { applyMeasurementFaults, scriptedSeverity, severity } from './faults.ts';
import { clamp, DAY_MS, hourOfDay, makeSampler, PARAM_CHANNEL, type ModelInput, type SensorModel } from './model.ts';

export const HVAC_FEATURES = ['room_temp', 'supply_temp', 'outdoor_temp', 'compressor_on'] as const;

export const HVAC_LEAK_SHARE = 0.25;
const BAND_C = 0.5; // thermostat dead band, ± around the setpoint

export interface HvacParams {
  outdoorMean: number; outdoorAmp: number;
  occupiedSetpoint: number; setbackSetpoint: number; occupiedFromH: number; occupiedToH: number;
  /** Outdoor-minus-setpoint (°C, after internal gains) the unit can hold at full duty. */
  capacityC: number;
  cycleMs: number; cyclePhaseMs: number;
  leak: { onsetMs: number; rampMs: number } | null;
}

function params(rnd: DeviceRandom, originMs: number): HvacParams {
  const p = (c: number, lo: number, hi: number) => rnd.between(0, PARAM_CHANNEL + c, lo, hi);
  const leaks = rnd.uniform(0, PARAM_CHANNEL + 10) < HVAC_LEAK_SHARE;
  const cycleMs = p(6, 15, 25) * 60_000;
  return {
    outdoorMean: p(0, 18, 28), outdoorAmp: p(1, 4, 8),
    occupiedSetpoint: p(2, 21, 23), setbackSetpoint: p(3, 26, 28), occupiedFromH: p(4, 6, 8), occupiedToH: p(5, 18, 20),
    capacityC: p(7, 10, 16), cycleMs, cyclePhaseMs: p(8, 0, cycleMs),
    leak: leaks ? { onsetMs: originMs + p(11, 5, 30) * DAY_MS, rampMs: p(12, 3, 10) * DAY_MS } : null,
  };
}

export function setpointAt(pp: HvacParams, tsMs: number): number {
  const h = hourOfDay(tsMs);
  return h >= pp.occupiedFromH && h < pp.occupiedToH ? pp.occupiedSetpoint : pp.setbackSetpoint;
}

export function outdoorMeanAt(pp: HvacParams, tsMs: number): number {
  return pp.outdoorMean + pp.outdoorAmp * Math.cos(2 * Math.PI * (hourOfDay(tsMs) - 15) / 24);
}

function values(input: ModelInput<HvacParams>): number[] {
  const { params: pp, rnd, index: i, tsMs } = input;
  const leak = Math.max(pp.leak ? severity(pp.leak.onsetMs, pp.leak.rampMs, tsMs) : 0, scriptedSeverity(input.faults, 'refrigerant-leak', tsMs));
  const dead = scriptedSeverity(input.faults, 'compressor-failure', tsMs) > 0;
  const outdoorClean = outdoorMeanAt(pp, tsMs);
  const setpoint = setpointAt(pp, tsMs);
  const occupied = setpoint === pp.occupiedSetpoint;
  const freeRoom = outdoorClean + (occupied ? 4 : 1); // where the room settles with no cooling
  const capacity = dead ? 0 : pp.capacityC * (1 - 0.6 * leak);
  const demand = freeRoom - setpoint;
  const duty = demand <= 0 ? 0 : capacity <= 0 ? 1 : clamp(demand / capacity, 0, 1);

  const phase = (((tsMs + pp.cyclePhaseMs) % pp.cycleMs) + pp.cycleMs) % pp.cycleMs / pp.cycleMs;
  const running = !dead && duty > 0.05 && phase < duty;

  let room: number;
  if (duty <= 0.05) room = Math.min(freeRoom, setpoint + BAND_C);
  else if (dead || duty >= 1) room = setpoint + BAND_C + 0.5 * Math.max(0, demand - capacity);
  else if (running) room = setpoint + BAND_C - 2 * BAND_C * (phase / duty); // pulled down while on
  else room = setpoint - BAND_C + 2 * BAND_C * ((phase - duty) / (1 - duty)); // drifts up while off
  room += 0.1 * rnd.gaussian(i, 0);

  const supply = running ? 12 + 0.1 * (outdoorClean - 25) + 6 * leak + 0.3 * rnd.gaussian(i, 1) : room - 0.5 + 0.2 * rnd.gaussian(i, 1);
  const outdoor = outdoorClean + 0.3 * rnd.gaussian(i, 2);

  const out = [room, supply, outdoor, running ? 1 : 0];
  return applyMeasurementFaults(HVAC_FEATURES, out, input.faults, tsMs, (c) => rnd.uniform(i, c));
}

export const hvacModel: SensorModel<HvacParams> = { name: 'hvac', features: HVAC_FEATURES, params, values };

/** Pure: reading `index` (at `tsMs`) of HVAC unit `deviceId` under `seed`, with `faults` applied. */
export const sampleHvac = makeSampler(hvacModel);

export function hvacParams(seed: number, deviceId: string, originMs: number): HvacParams {
  return params(new DeviceRandom(seed, deviceId), originMs);
}
