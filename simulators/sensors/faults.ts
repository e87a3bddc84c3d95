/**
 * Sensor faults: what a scenario does to a device's measurements. They live in the device's
 * `sim` sensor config (absolute fleet times), so a reading stays a pure function of the config
 * and its timestamp, and a test can regenerate it exactly.
 */
import { Type, type Static } from '@sinclair/typebox';
import { parseWithSchema } from '../../shared/config/validate.ts';

export const PUMP_FAILURE_MODES = ['bearing', 'cavitation', 'seal-leak'] as const;
export const HVAC_FAILURE_MODES = ['refrigerant-leak', 'compressor-failure'] as const;
export type PumpFailureMode = (typeof PUMP_FAILURE_MODES)[number];
export type HvacFailureMode = (typeof HVAC_FAILURE_MODES)[number];
export type FailureMode = PumpFailureMode | HvacFailureMode;

const Window = {
  /** Fleet time (ms since the epoch) the fault starts. */
  fromMs: Type.Number(),
  /** Fleet time it ends; absent: until the end of the run. */
  toMs: Type.Optional(Type.Number()),
};
const Features = Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'feature names; absent: all' }));

export const SensorFaultSchema = Type.Union([
  Type.Object({
    kind: Type.Literal('dropout'), ...Window, features: Features,
    /** Share of readings whose value goes missing (NaN); 1 = all. */
    rate: Type.Number({ minimum: 0, maximum: 1, default: 1 }),
  }, { additionalProperties: false }),
  Type.Object({
    kind: Type.Literal('offset'), ...Window, features: Features,
    /** Added to the value once fully ramped in. */
    amount: Type.Number(),
    /** Fleet ms over which the offset grows from 0 to `amount` (a slow drift); 0 = a step. */
    rampMs: Type.Number({ minimum: 0, default: 0 }),
  }, { additionalProperties: false }),
  Type.Object({
    kind: Type.Literal('failure'), ...Window,
    mode: Type.Union([...PUMP_FAILURE_MODES, ...HVAC_FAILURE_MODES].map((m) => Type.Literal(m))),
    /** Fleet ms from onset to full severity. */
    rampMs: Type.Number({ minimum: 0, default: 2 * 86_400_000 }),
  }, { additionalProperties: false }),
  Type.Object({
    kind: Type.Literal('stuck'), ...Window,
    /**
     * The frozen value per stuck feature: what it read when it stuck. The scenario planner fills
     * it from the sensor model at `fromMs`, so the reading stays a pure function of the config
     * (a value remembered at run time would differ between a restarted agent and a test).
     */
    values: Type.Record(Type.String({ minLength: 1 }), Type.Number()),
  }, { additionalProperties: false }),
  Type.Object({
    kind: Type.Literal('regime'), ...Window, features: Features,
    /** Multiplier on the features once fully ramped in (1.3 = 30 % more load). */
    factor: Type.Number({ exclusiveMinimum: 0 }),
    /** Fleet ms over which the multiplier moves from 1 to `factor`; 0 = a step. */
    rampMs: Type.Number({ minimum: 0, default: 0 }),
  }, { additionalProperties: false }),
]);

export type SensorFault = Static<typeof SensorFaultSchema>;
export type FailureFault = Extract<SensorFault, { kind: 'failure' }>;
export type StuckFault = Extract<SensorFault, { kind: 'stuck' }>;

export function parseSensorFaults(list: readonly unknown[] | undefined, where = 'sim sensor faults'): SensorFault[] {
  return parseWithSchema(Type.Array(SensorFaultSchema), list ?? [], where);
}

export function isActive(f: { fromMs: number; toMs?: number | undefined }, tsMs: number): boolean {
  return tsMs >= f.fromMs && (f.toMs === undefined || tsMs < f.toMs);
}

/** 0 before `fromMs`, rising to 1 over `rampMs` (squared, so a failure starts gently). */
export function severity(fromMs: number, rampMs: number, tsMs: number): number {
  if (tsMs < fromMs) return 0;
  if (rampMs <= 0) return 1;
  const x = Math.min(1, (tsMs - fromMs) / rampMs);
  return x * x;
}

/** Channel base for fault randomness, away from the models' own channels. */
const DROPOUT_CHANNEL = 900;

/** Linear 0..1 over `rampMs` from `fromMs` (1 at once when rampMs is 0). */
function ramp(fromMs: number, rampMs: number, tsMs: number): number {
  return rampMs > 0 ? Math.min(1, Math.max(0, (tsMs - fromMs) / rampMs)) : 1;
}

/**
 * Applies measurement faults to `values` in place, in three passes so their meaning does not
 * depend on their order in the list: a new operating regime first (it changes what there is to
 * measure), then offsets and dropouts (the instrument), then stuck sensors (a frozen sensor
 * reports its frozen value whatever happens underneath). Failure faults change the physics and
 * are read by the models themselves.
 */
export function applyMeasurementFaults(
  features: readonly string[], values: number[], faults: readonly SensorFault[], tsMs: number,
  uniform: (channel: number) => number,
): number[] {
  for (const f of faults) {
    if (f.kind !== 'regime' || !isActive(f, tsMs)) continue;
    const k = 1 + (f.factor - 1) * ramp(f.fromMs, f.rampMs, tsMs);
    for (let j = 0; j < features.length; j++) {
      if (!f.features || f.features.includes(features[j]!)) values[j] = values[j]! * k;
    }
  }
  for (const f of faults) {
    if ((f.kind !== 'offset' && f.kind !== 'dropout') || !isActive(f, tsMs)) continue;
    for (let j = 0; j < features.length; j++) {
      if (f.features && !f.features.includes(features[j]!)) continue;
      if (f.kind === 'offset') {
        values[j] = values[j]! + f.amount * ramp(f.fromMs, f.rampMs, tsMs);
      } else if (f.rate >= 1 || uniform(DROPOUT_CHANNEL + j) < f.rate) {
        values[j] = Number.NaN;
      }
    }
  }
  for (const f of faults) {
    if (f.kind !== 'stuck' || !isActive(f, tsMs)) continue;
    for (let j = 0; j < features.length; j++) {
      const v = f.values[features[j]!];
      if (v !== undefined) values[j] = v;
    }
  }
  return values;
}

/** The strongest scripted failure of `mode` active at `tsMs` (0..1). */
export function scriptedSeverity(faults: readonly SensorFault[], mode: FailureMode, tsMs: number): number {
  let s = 0;
  for (const f of faults) {
    if (f.kind === 'failure' && f.mode === mode && isActive(f, tsMs)) s = Math.max(s, severity(f.fromMs, f.rampMs, tsMs));
  }
  return s;
}
