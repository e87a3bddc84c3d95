/**
 * The pure planner: (scenario, devices, start time) → a time-ordered list of typed steps and the
 * sensor faults each device's model must apply. No timers, no I/O: the executor runs the steps.
 */
import { EdgehiveError } from '../../shared/errors/index.ts';
import { hashString, hashWords } from '../random/hash-random.ts';
import { HVAC_FEATURES } from '../sensors/hvac.ts';
import { MODELS } from '../sensors/models.ts';
import { PUMP_FEATURES } from '../sensors/pump.ts';
import type { SensorFault, StuckFault } from '../sensors/faults.ts';
import type { DeviceSpec } from '../fleet/layout.ts';
import type { Scenario, ScenarioFault } from './schema.ts';

/** `atMs`: fleet milliseconds after the start of the run. Durations are fleet milliseconds too. */
export type Step =
  | { atMs: number; kind: 'link-down'; device: string }
  | { atMs: number; kind: 'link-up'; device: string }
  | { atMs: number; kind: 'agent-crash'; device: string }
  | { atMs: number; kind: 'agent-restart'; device: string }
  | { atMs: number; kind: 'broker-restart'; downMs: number }
  | { atMs: number; kind: 'hub-stop' }
  | { atMs: number; kind: 'hub-start' }
  | { atMs: number; kind: 'end' };

export type StepKind = Step['kind'];

export interface Plan {
  steps: Step[];
  /** Per device, sensor faults in absolute fleet time, for its sim sensor config. */
  sensorFaults: Record<string, SensorFault[]>;
  /** Devices that need a cuttable link (a proxy) because a network-loss step names them. */
  linkDevices: string[];
  /** Whether a step needs control of the hub (broker or hub restarts). */
  needsHub: boolean;
}

/** Restores sort before cuts at the same instant, so back-to-back faults compose. */
const ORDER: Record<StepKind, number> = {
  'link-up': 0, 'agent-restart': 1, 'hub-start': 2, 'broker-restart': 3, 'hub-stop': 4, 'agent-crash': 5, 'link-down': 6, end: 7,
};

const PUMP_MODES = new Set(['bearing', 'cavitation', 'seal-leak']);

function featuresOf(d: DeviceSpec): readonly string[] {
  return d.type === 'pump' ? PUMP_FEATURES : HVAC_FEATURES;
}

/** The devices a fault targets: its ids, or a seeded pick of `share` of the eligible ones (at least one). */
export function pickTargets(f: { devices?: string[]; share?: number }, eligible: readonly DeviceSpec[], seed: number, faultIndex: number): string[] {
  if (f.devices) return [...f.devices];
  const n = Math.max(1, Math.round((f.share ?? 0) * eligible.length));
  const ranked = eligible.map((d) => ({ id: d.id, r: hashWords(seed >>> 0, [hashString(d.id), faultIndex, 0x5ce7a810]) }));
  ranked.sort((a, b) => a.r - b.r || (a.id < b.id ? -1 : 1));
  return ranked.slice(0, Math.min(n, ranked.length)).map((d) => d.id).sort();
}

function eligibleFor(f: ScenarioFault, devices: readonly DeviceSpec[]): DeviceSpec[] {
  if (f.kind !== 'sensor') return [...devices];
  if (f.effect === 'failure') return devices.filter((d) => (d.type === 'pump') === PUMP_MODES.has(f.mode ?? ''));
  if (f.features) return devices.filter((d) => featuresOf(d).some((x) => f.features!.includes(x)));
  return [...devices];
}

/** The scenario's reading period when it names none (the CLI's default too). */
const DEFAULT_PERIOD_MS = 1000;

type SensorStep = Extract<ScenarioFault, { kind: 'sensor' }>;

/**
 * What a device's sensors read at `fromMs` under its other faults: the values a stuck
 * sensor freezes at. Computed here, once, so the fault config carries them and every reading
 * stays a pure function of the config. The noise index is that of the reading due at `fromMs`
 * on the scenario's period (a `--period-ms` override only shifts which noise sample freezes).
 */
function frozenValues(f: SensorStep, d: DeviceSpec, fromMs: number, seed: number, originMs: number, periodMs: number,
  before: readonly SensorFault[]): Record<string, number> {
  const model = MODELS[d.type];
  const index = Math.max(0, Math.floor((fromMs - originMs) / periodMs));
  const read = model.sample(seed, d.id, index, fromMs, before, originMs);
  const out: Record<string, number> = {};
  model.features.forEach((name, j) => {
    // A sensor that stuck while its value was missing is a dropout, not a frozen value.
    if ((!f.features || f.features.includes(name)) && Number.isFinite(read[j])) out[name] = read[j]!;
  });
  return out;
}

/** The device fault of a sensor step; a stuck fault's values are filled in by planScenario. */
function sensorFault(f: SensorStep, fromMs: number): SensorFault {
  const toMs = f.forS === undefined ? undefined : fromMs + f.forS * 1000;
  const win = toMs === undefined ? { fromMs } : { fromMs, toMs };
  const rampMs = (f.rampS ?? 0) * 1000;
  const features = f.features ? { features: f.features } : {};
  if (f.effect === 'dropout') return { kind: 'dropout', ...win, rate: f.rate ?? 1, ...features };
  if (f.effect === 'offset') return { kind: 'offset', ...win, amount: f.amount ?? 0, rampMs, ...features };
  if (f.effect === 'regime') return { kind: 'regime', ...win, factor: f.factor ?? 1, rampMs, ...features };
  if (f.effect === 'stuck') return { kind: 'stuck', ...win, values: {} };
  return { kind: 'failure', ...win, mode: f.mode as Extract<SensorFault, { kind: 'failure' }>['mode'], rampMs };
}

/**
 * Plans a run of `scenario` over `devices` starting at fleet time `startMs` (used only to place
 * sensor faults in absolute time). Throws EH_SCENARIO_INVALID naming the fault when it targets a
 * device the fleet does not have.
 */
export function planScenario(scenario: Scenario, devices: readonly DeviceSpec[], startMs: number): Plan {
  const known = new Set(devices.map((d) => d.id));
  const byId = new Map(devices.map((d) => [d.id, d]));
  const periodMs = scenario.periodMs ?? DEFAULT_PERIOD_MS;
  const stuck: Array<{ fault: StuckFault; step: SensorStep; device: string }> = [];
  const steps: Step[] = [];
  const sensorFaults: Record<string, SensorFault[]> = {};
  const links = new Set<string>();
  let needsHub = false;

  scenario.faults.forEach((f, i) => {
    const atMs = f.at * 1000;
    if (f.kind === 'broker-restart') {
      needsHub = true;
      steps.push({ atMs, kind: 'broker-restart', downMs: f.downS * 1000 });
      return;
    }
    if (f.kind === 'hub-restart') {
      needsHub = true;
      steps.push({ atMs, kind: 'hub-stop' }, { atMs: atMs + f.downS * 1000, kind: 'hub-start' });
      return;
    }
    for (const id of f.devices ?? []) {
      if (!known.has(id)) throw new EdgehiveError('EH_SCENARIO_INVALID', `scenario ${scenario.name} is invalid: /faults/${i}/devices: the fleet has no device ${id}`);
    }
    const targets = pickTargets(f, eligibleFor(f, devices), scenario.seed, i);
    for (const device of targets) {
      if (f.kind === 'network-loss') {
        links.add(device);
        steps.push({ atMs, kind: 'link-down', device }, { atMs: atMs + f.forS * 1000, kind: 'link-up', device });
      } else if (f.kind === 'agent-crash') {
        steps.push({ atMs, kind: 'agent-crash', device }, { atMs: atMs + f.restartAfterS * 1000, kind: 'agent-restart', device });
      } else {
        const fault = sensorFault(f, startMs + atMs);
        (sensorFaults[device] ??= []).push(fault);
        if (fault.kind === 'stuck') stuck.push({ fault, step: f, device });
      }
    }
  });
  // Frozen values once every fault is placed: a fault listed later but starting earlier (an
  // offset, an earlier stuck sensor) shapes what the sensor read when it stuck.
  stuck.sort((a, b) => a.fault.fromMs - b.fault.fromMs);
  const resolved = new Set<SensorFault>();
  for (const s of stuck) {
    const before = sensorFaults[s.device]!.filter((x) => x.kind !== 'stuck' || resolved.has(x));
    s.fault.values = frozenValues(s.step, byId.get(s.device)!, s.fault.fromMs, scenario.seed, startMs, periodMs, before);
    resolved.add(s.fault);
  }
  if (scenario.durationS !== undefined) steps.push({ atMs: scenario.durationS * 1000, kind: 'end' });

  steps.sort((a, b) => a.atMs - b.atMs || ORDER[a.kind] - ORDER[b.kind] || deviceOf(a).localeCompare(deviceOf(b)));
  return { steps, sensorFaults, linkDevices: [...links].sort(), needsHub };
}

function deviceOf(s: Step): string {
  return 'device' in s ? s.device : '';
}
