/**
 * Scenario files: a named, seeded fleet run and the faults injected into it. All times are fleet
 * seconds (`at` counted from the start of the run), so a scenario means the same at any speed.
 */
import { Type, type Static } from '@sinclair/typebox';
import { readFileSync } from 'node:fs';
import { parseWithSchema, schemaProblems } from '../../shared/config/validate.ts';
import { EdgehiveError } from '../../shared/errors/index.ts';
import { ID_PATTERN } from '../../shared/ids.ts';

const At = Type.Number({ minimum: 0, description: 'fleet seconds from the start of the run' });
const Seconds = (description: string) => Type.Number({ exclusiveMinimum: 0, description });
/** Target devices: exactly one of `devices` (ids) or `share` (a seeded pick of the fleet). */
const Targets = {
  devices: Type.Optional(Type.Array(Type.String({ pattern: ID_PATTERN.source }), { minItems: 1 })),
  share: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
};

export const NetworkLossSchema = Type.Object({
  at: At, kind: Type.Literal('network-loss'), ...Targets, forS: Seconds('fleet seconds the link stays down'),
}, { additionalProperties: false });

export const AgentCrashSchema = Type.Object({
  at: At, kind: Type.Literal('agent-crash'), ...Targets,
  restartAfterS: Seconds('fleet seconds until the agent is started again'),
}, { additionalProperties: false });

export const BrokerRestartSchema = Type.Object({
  at: At, kind: Type.Literal('broker-restart'), downS: Seconds('fleet seconds the broker stays down'),
}, { additionalProperties: false });

export const HubRestartSchema = Type.Object({
  at: At, kind: Type.Literal('hub-restart'), downS: Seconds('fleet seconds the hub stays down'),
}, { additionalProperties: false });

export const SensorFaultStepSchema = Type.Object({
  at: At, kind: Type.Literal('sensor'), ...Targets,
  forS: Type.Optional(Seconds('fleet seconds the fault lasts; absent: to the end')),
  effect: Type.Union([Type.Literal('dropout'), Type.Literal('offset'), Type.Literal('failure'), Type.Literal('stuck'), Type.Literal('regime')]),
  features: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })),
  /** dropout: share of readings lost (default 1). */
  rate: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  /** offset: value added once ramped in. */
  amount: Type.Optional(Type.Number()),
  /** regime: multiplier on the features once ramped in (e.g. 1.3: a heavier duty). */
  factor: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  /** offset, regime and failure: fleet seconds to ramp in. */
  rampS: Type.Optional(Type.Number({ minimum: 0 })),
  /** failure: bearing | cavitation | seal-leak (pumps), refrigerant-leak | compressor-failure (HVAC). */
  mode: Type.Optional(Type.String()),
}, { additionalProperties: false });

export const FaultSchema = Type.Union([NetworkLossSchema, AgentCrashSchema, BrokerRestartSchema, HubRestartSchema, SensorFaultStepSchema]);

export const ScenarioSchema = Type.Object({
  name: Type.String({ minLength: 1 }),
  seed: Type.Integer({ minimum: 0, maximum: 4294967295 }),
  description: Type.Optional(Type.String()),
  devices: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  /** Fleet seconds per wall second. */
  speed: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000 })),
  /** Fleet seconds the devices produce; absent: until stopped. */
  durationS: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  /** Fleet milliseconds between readings of one device. */
  periodMs: Type.Optional(Type.Integer({ minimum: 1 })),
  /** Relative weights of device types; default equal. */
  mix: Type.Optional(Type.Object({
    pump: Type.Number({ minimum: 0, default: 1 }),
    hvac: Type.Number({ minimum: 0, default: 1 }),
  }, { additionalProperties: false })),
  faults: Type.Array(FaultSchema, { default: [] }),
}, { additionalProperties: false });

export type Scenario = Static<typeof ScenarioSchema>;
export type ScenarioFault = Static<typeof FaultSchema>;

const FAILURE_MODES = new Set(['bearing', 'cavitation', 'seal-leak', 'refrigerant-leak', 'compressor-failure']);

function invalid(what: string, path: string, message: string): never {
  throw new EdgehiveError('EH_SCENARIO_INVALID', `${what} is invalid: ${path}: ${message}`, { problems: [{ path, message }] });
}

const FAULT_SCHEMAS = {
  'network-loss': NetworkLossSchema, 'agent-crash': AgentCrashSchema, 'broker-restart': BrokerRestartSchema,
  'hub-restart': HubRestartSchema, sensor: SensorFaultStepSchema,
} as const;

/** Checks each fault against the schema of its kind first, so errors name the field, not "expected union". */
function checkFaultsByKind(value: unknown, what: string): void {
  const faults = (value as { faults?: unknown } | null)?.faults;
  if (!Array.isArray(faults)) return;
  faults.forEach((f: unknown, i) => {
    const kind = (f as { kind?: unknown } | null)?.kind;
    const schema = typeof kind === 'string' ? FAULT_SCHEMAS[kind as keyof typeof FAULT_SCHEMAS] : undefined;
    if (!schema) invalid(what, `/faults/${i}/kind`, `expected one of ${Object.keys(FAULT_SCHEMAS).join(', ')}, got ${JSON.stringify(kind)}`);
    const problems = schemaProblems(schema, f).map((p) => ({ path: `/faults/${i}${p.path === '/' ? '' : p.path}`, message: p.message }));
    if (problems.length > 0) {
      throw new EdgehiveError('EH_SCENARIO_INVALID', `${what} is invalid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, { problems });
    }
  });
}

/** Validates a scenario document; errors name the bad field by JSON path (`/faults/2/share`). */
export function parseScenario(value: unknown, what = 'scenario'): Scenario {
  checkFaultsByKind(value, what);
  const s = parseWithSchema(ScenarioSchema, value, what, 'EH_SCENARIO_INVALID');
  if (s.mix && s.mix.pump + s.mix.hvac <= 0) invalid(what, '/mix', 'at least one device type needs a weight above 0');
  s.faults.forEach((f, i) => {
    const at = `/faults/${i}`;
    if (f.kind === 'broker-restart' || f.kind === 'hub-restart') return;
    if ((f.devices === undefined) === (f.share === undefined)) invalid(what, `${at}/devices`, 'give exactly one of "devices" (ids) or "share" (0..1 of the fleet)');
    if (f.kind !== 'sensor') return;
    if (f.effect === 'failure' && (f.mode === undefined || !FAILURE_MODES.has(f.mode))) invalid(what, `${at}/mode`, `a failure needs a mode, one of ${[...FAILURE_MODES].join(', ')}`);
    if (f.effect === 'offset' && f.amount === undefined) invalid(what, `${at}/amount`, 'an offset needs an amount');
    if (f.effect === 'regime' && f.factor === undefined) invalid(what, `${at}/factor`, 'a regime needs a factor (multiplier on the features)');
  });
  if (s.durationS !== undefined) {
    s.faults.forEach((f, i) => { if (f.at > s.durationS!) invalid(what, `/faults/${i}/at`, `fault at ${f.at} s is after the end of the run (durationS ${s.durationS})`); });
  }
  return s;
}

export function loadScenarioFile(path: string): Scenario {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new EdgehiveError('EH_SCENARIO_INVALID', `scenario ${path} is not readable JSON: ${(e as Error).message}`);
  }
  return parseScenario(doc, `scenario ${path}`);
}
