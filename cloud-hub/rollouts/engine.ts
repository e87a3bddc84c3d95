/**
 * The staged-rollout engine, pure: (deployment, its devices, what they report, now) → the next
 * deployment record, the device records that changed, and the actions to carry out (set a
 * device's desired bundle, append to the audit log, collect unused bundle chunks). It never
 * touches the store, MQTT or the clock; RolloutManager applies what it returns.
 * Rules: docs/decisions/0010-rollouts.md.
 */
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { DeploymentDeviceRecord, DeploymentRecord, ReportedRecord, WaveRecord } from '../store/rollout-store.ts';
import { brokenGate, installState, verdicts, waveMetrics } from './gates.ts';

/** What the hub knows of a device right now. */
export interface DeviceView {
  online: boolean;
  reported: ReportedRecord | null;
  /** The bundle its desired state names now (null: none, or no desired state yet). */
  desiredBundle: string | null;
}

export interface EngineInput {
  deployment: DeploymentRecord;
  devices: readonly DeploymentDeviceRecord[];
  /** By device id; a device missing here is offline and has reported nothing. */
  view: ReadonlyMap<string, DeviceView>;
  now: number;
}

export type Action =
  | { type: 'setDesired'; device: string; bundleId: string | null }
  | { type: 'audit'; actor: string; action: string; target: string; details?: Record<string, unknown> }
  | { type: 'collectGarbage' };

export interface EngineStep {
  deployment: DeploymentRecord;
  /** Every device of the deployment, as it is now. */
  devices: DeploymentDeviceRecord[];
  /** The device records to write. */
  changedDevices: DeploymentDeviceRecord[];
  deploymentChanged: boolean;
  actions: Action[];
  /** What happened, for listeners: the audit actions, and 'progress' when only devices moved. */
  events: string[];
}

export const SYSTEM_ACTOR = 'system';
const LIVE_WAVE = new Set<WaveRecord['state']>(['running', 'soaking', 'passed']);

/** A mutable copy of the input that remembers what changed. */
class Work {
  readonly d: DeploymentRecord;
  readonly devices: DeploymentDeviceRecord[];
  readonly view: ReadonlyMap<string, DeviceView>;
  readonly now: number;
  readonly #changed = new Set<DeploymentDeviceRecord>();
  readonly actions: Action[] = [];
  readonly events: string[] = [];
  #deploymentChanged = false;

  constructor(i: EngineInput) {
    this.d = { ...i.deployment, waves: i.deployment.waves.map((w) => ({ ...w, gates: { ...w.gates } })) };
    this.devices = i.devices.map((x) => ({ ...x }));
    this.view = i.view;
    this.now = i.now;
  }

  members(wave: number): DeploymentDeviceRecord[] {
    return this.devices.filter((x) => x.wave === wave);
  }

  setDevice(rec: DeploymentDeviceRecord, patch: Partial<Pick<DeploymentDeviceRecord, 'state' | 'error' | 'previousBundle'>>): void {
    let moved = false;
    for (const [k, v] of Object.entries(patch) as Array<[keyof typeof patch, string | null]>) {
      if (rec[k] !== v) { (rec as unknown as Record<string, unknown>)[k] = v; moved = true; }
    }
    if (moved) { rec.updatedMs = this.now; this.#changed.add(rec); }
  }

  setWave(index: number, patch: Partial<WaveRecord>): WaveRecord {
    const w = this.d.waves[index]!;
    Object.assign(w, patch);
    this.touch();
    return w;
  }

  setDeployment(patch: Partial<Pick<DeploymentRecord, 'state' | 'reason' | 'currentWave'>>): void {
    Object.assign(this.d, patch);
    this.touch();
  }

  touch(): void {
    this.#deploymentChanged = true;
    this.d.updatedMs = this.now;
  }

  desire(device: string, bundleId: string | null): void {
    this.actions.push({ type: 'setDesired', device, bundleId });
  }

  audit(actor: string, action: string, target: string, details?: Record<string, unknown>): void {
    this.actions.push({ type: 'audit', actor, action, target, ...(details ? { details } : {}) });
    this.events.push(action);
  }

  result(): EngineStep {
    const changed = [...this.#changed];
    const events = this.events.length === 0 && changed.length > 0 ? ['progress'] : this.events;
    return { deployment: this.d, devices: this.devices, changedDevices: changed, deploymentChanged: this.#deploymentChanged, actions: this.actions, events };
  }
}

/** A new deployment: its first wave starts. */
export function startDeployment(i: EngineInput): EngineStep {
  const w = new Work(i);
  startWave(w, 0);
  advance(w);
  return w.result();
}

/** Re-evaluates on a report or a timer tick: device states, then (when running) the current wave. */
export function evaluate(i: EngineInput): EngineStep {
  const w = new Work(i);
  if (w.d.state === 'running' || w.d.state === 'halted') refresh(w);
  if (w.d.state === 'running') advance(w);
  return w.result();
}

/** Stops advancing; devices stay as they are. */
export function halt(i: EngineInput, actor: string, reason?: string): EngineStep {
  const w = new Work(i);
  if (w.d.state !== 'running') throw wrongState(w.d, 'halt', 'only a running deployment can be halted');
  w.setDeployment({ state: 'halted', reason: reason ?? `halted by ${actor}` });
  w.audit(actor, 'deployment.halt', w.d.id, { wave: w.d.currentWave, ...(reason ? { reason } : {}) });
  return w.result();
}

/**
 * Continues a halted deployment: a wave that failed its gates runs again (its devices are asked
 * for the bundle again), after a wave that passed the next one starts, and
 * a wave halted half-way simply carries on.
 */
export function resume(i: EngineInput, actor: string): EngineStep {
  const w = new Work(i);
  if (w.d.state !== 'halted') throw wrongState(w.d, 'resume', 'only a halted deployment can be resumed');
  const index = w.d.currentWave;
  const wave = w.d.waves[index]!;
  w.setDeployment({ state: 'running', reason: null });
  w.audit(actor, 'deployment.resume', w.d.id, { wave: index, waveState: wave.state });
  if (wave.state === 'failed') {
    w.setWave(index, { state: 'running', startedMs: w.now, settledMs: null, endedMs: null, reason: null });
    // Every device of the wave is asked again: even one still running the bundle has been told
    // to go back, and would otherwise go back after the re-run had counted it as installed.
    const members = w.members(index);
    for (const m of members) {
      w.setDevice(m, { state: 'pending', error: null });
      w.desire(m.device, m.bundleId);
    }
    w.audit(SYSTEM_ACTOR, 'wave.start', w.d.id, { wave: index, percent: wave.percent, devices: members.length, rerun: true });
  } else if (wave.state === 'passed') {
    startWave(w, index + 1);
  }
  refresh(w);
  advance(w);
  return w.result();
}

/** Every device the deployment changed goes back to the bundle it ran before; the deployment ends. */
export function abort(i: EngineInput, actor: string, reason?: string): EngineStep {
  const w = new Work(i);
  if (w.d.state !== 'running' && w.d.state !== 'halted') throw wrongState(w.d, 'abort', 'only a running or halted deployment can be aborted');
  const why = reason ?? `aborted by ${actor}`;
  const current = w.d.waves[w.d.currentWave]!;
  if (current.state === 'running' || current.state === 'soaking') {
    w.setWave(current.index, { state: 'failed', endedMs: w.now, reason: `deployment aborted: ${why}` });
  }
  w.setDeployment({ state: 'aborted', reason: why });
  w.audit(actor, 'deployment.abort', w.d.id, { wave: w.d.currentWave, ...(reason ? { reason } : {}) });
  for (const m of w.devices) {
    if (w.d.waves[m.wave]!.startedMs === null || m.state === 'restored') continue;
    restore(w, m, 'deployment aborted');
  }
  w.actions.push({ type: 'collectGarbage' });
  return w.result();
}

/** Ends a deployment that cannot go on (its bundle is gone); devices stay as they are. */
export function fail(i: EngineInput, reason: string): EngineStep {
  const w = new Work(i);
  w.setDeployment({ state: 'failed', reason });
  w.audit(SYSTEM_ACTOR, 'deployment.failed', w.d.id, { reason });
  return w.result();
}

function startWave(w: Work, index: number): void {
  const wave = w.d.waves[index]!;
  const members = w.members(index);
  for (const m of members) {
    const v = w.view.get(m.device);
    // Where a failing wave or an abort puts the device back: what it runs, else what it was told to run.
    const previous = v?.reported?.activeBundle ?? v?.desiredBundle ?? null;
    w.setDevice(m, { previousBundle: previous, state: 'pending', error: null });
    w.desire(m.device, m.bundleId);
  }
  w.setDeployment({ currentWave: index });
  w.setWave(index, { state: 'running', startedMs: w.now, settledMs: null, endedMs: null, reason: null });
  w.audit(SYSTEM_ACTOR, 'wave.start', w.d.id, { wave: index, percent: wave.percent, devices: members.length });
  refresh(w);
}

/** Device states from their latest reports, for every wave that has started and not failed. */
function refresh(w: Work): void {
  for (const m of w.devices) {
    const wave = w.d.waves[m.wave]!;
    if (!LIVE_WAVE.has(wave.state) || wave.startedMs === null) continue;
    w.setDevice(m, installState(m, w.view.get(m.device)?.reported ?? null, wave.startedMs));
  }
}

/** Moves the current wave on as far as it can go now (empty waves pass at once, so loop). */
function advance(w: Work): void {
  for (let guard = 0; guard <= w.d.waves.length && w.d.state === 'running'; guard++) {
    if (!step(w)) return;
  }
}

/** One decision on the current wave; true when it passed and another wave started. */
function step(w: Work): boolean {
  const index = w.d.currentWave;
  const wave = w.d.waves[index]!;
  if (wave.state !== 'running' && wave.state !== 'soaking') return false;
  const members = w.members(index);
  const reported = new Map<string, ReportedRecord>();
  for (const m of members) {
    const r = w.view.get(m.device)?.reported;
    if (r) reported.set(m.device, r);
  }
  const metrics = waveMetrics(members, reported);
  const broken = brokenGate(metrics, verdicts(metrics, wave.gates, wave, w.now), index);
  if (broken) {
    failWave(w, index, broken, metrics);
    return false;
  }
  const settled = members.every((m) => m.state === 'installed' || m.state === 'failed' || !w.view.get(m.device)?.online);
  if (wave.settledMs === null) {
    if (!settled) return false;
    w.setWave(index, { state: 'soaking', settledMs: w.now });
  }
  const v = verdicts(metrics, wave.gates, wave, w.now);
  if (members.length > 0 && !v.soakMs.ok) return false;
  w.setWave(index, { state: 'passed', endedMs: w.now });
  w.audit(SYSTEM_ACTOR, 'wave.passed', w.d.id, { wave: index, metrics, verdicts: verdicts(metrics, wave.gates, wave, w.now) });
  if (index === w.d.waves.length - 1) {
    w.setDeployment({ state: 'completed', reason: null });
    w.audit(SYSTEM_ACTOR, 'deployment.completed', w.d.id, { waves: w.d.waves.length, devices: w.devices.length });
    w.actions.push({ type: 'collectGarbage' });
    return false;
  }
  if (!w.d.autoAdvance) {
    w.setDeployment({ state: 'halted', reason: `wave ${index} passed; autoAdvance is off, so POST /api/v1/deployments/${w.d.id}/resume starts wave ${index + 1}` });
    return false;
  }
  startWave(w, index + 1);
  return true;
}

/** The wave failed a gate: the deployment halts and the wave's devices go back to what they ran. */
function failWave(w: Work, index: number, reason: string, metrics: ReturnType<typeof waveMetrics>): void {
  const wave = w.setWave(index, { state: 'failed', endedMs: w.now, reason });
  w.setDeployment({ state: 'halted', reason });
  w.audit(SYSTEM_ACTOR, 'wave.failed', w.d.id, { wave: index, reason, metrics, verdicts: verdicts(metrics, wave.gates, wave, w.now) });
  for (const m of w.members(index)) {
    if (m.state !== 'restored') restore(w, m, reason);
  }
}

/**
 * Puts a device's desired state back on its previous bundle. A device whose install failed keeps
 * its failed state (and error): it went back by itself; the desired state follows for the twin.
 */
function restore(w: Work, m: DeploymentDeviceRecord, why: string): void {
  w.desire(m.device, m.previousBundle);
  if (m.state !== 'failed') w.setDevice(m, { state: 'restored' });
  w.audit(SYSTEM_ACTOR, 'device.restored', m.device, { deployment: w.d.id, wave: m.wave, from: m.bundleId, to: m.previousBundle, why });
}

function wrongState(d: DeploymentRecord, action: string, rule: string): EdgehiveError {
  return new EdgehiveError('EH_STATE', `cannot ${action} deployment ${d.id}: it is ${d.state}; ${rule}`, { id: d.id, state: d.state });
}

/**
 * What each device's desired state should name, by the deployment's records: nothing for
 * devices whose wave has not started; the previous bundle for devices put back (their wave
 * failed, the deployment was aborted, or they were restored); else the deployment's bundle.
 * The manager compares this with the stored desired states after a restart, to finish what a
 * crash interrupted.
 */
export function expectedDesired(d: DeploymentRecord, devices: readonly DeploymentDeviceRecord[]): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const m of devices) {
    const wave = d.waves[m.wave];
    if (!wave || wave.startedMs === null) continue;
    const back = m.state === 'restored' || wave.state === 'failed' || d.state === 'aborted';
    out.set(m.device, back ? m.previousBundle : m.bundleId);
  }
  return out;
}
