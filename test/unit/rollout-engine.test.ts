/**
 * The staged-rollout engine on plain data: a small fleet whose reports the test writes, fed back
 * step by step as the manager would, checking the desired states it asks for, the device and
 * wave states, the gates, halt/resume/abort and the audit trail.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import {
  abort, type Action, type DeviceView, type EngineInput, type EngineStep, evaluate, expectedDesired, halt, resume, startDeployment,
} from '../../cloud-hub/rollouts/engine.ts';
import { deploymentStatus } from '../../cloud-hub/rollouts/status.ts';
import { planWaves } from '../../cloud-hub/rollouts/waves.ts';
import type { DeploymentDeviceRecord, DeploymentRecord, ReportedRecord, WaveGates } from '../../cloud-hub/store/rollout-store.ts';
import { isEdgehiveError } from '../../shared/errors/index.ts';

const T0 = Date.UTC(2026, 0, 1);
const NEW = 'n'.repeat(64);
const OLD = 'o'.repeat(64);
const SOAK = 30_000;

function report(device: string, receivedMs: number, more: Partial<ReportedRecord> = {}): ReportedRecord {
  return {
    device, tsMs: receivedMs, receivedMs, phase: 'active', activeBundle: OLD, activeModel: 'pump', activeVersion: 1, healthy: true,
    inactiveBundle: null, desiredBundle: OLD, installingBundle: null, chunksHave: 0, chunksTotal: 0, failedBundle: null,
    errorCode: null, errorMessage: null, profile: 'rpi4', agentVersion: '0.3.0', inferences: 0, inferenceErrors: 0, latencyP99Ms: 0,
    activatedMs: null, ...more,
  };
}

/** A deployment over devices d0..d{n-1}; `waveOf` says which wave each is in. */
class Fleet {
  now = T0;
  d: DeploymentRecord;
  devices: DeploymentDeviceRecord[];
  view = new Map<string, DeviceView>();
  actions: Action[] = [];
  events: string[] = [];

  constructor(waveOf: number[], percents: number[], opts: { gates?: Partial<WaveGates>; autoAdvance?: boolean } = {}) {
    const waves = planWaves(percents.map((percent) => ({ percent, gates: { minSoakMs: SOAK, ...opts.gates } })));
    this.d = {
      id: 'dep-1', state: 'running', source: { model: 'pump', version: 2 }, target: { group: 'plant' }, bundles: { rpi4: NEW },
      waves, currentWave: 0, autoAdvance: opts.autoAdvance ?? true, createdMs: T0, updatedMs: T0, actor: 'token:ops', reason: null,
    };
    this.devices = waveOf.map((wave, i) => ({
      deploymentId: 'dep-1', device: `d${i}`, profile: 'rpi4', wave, bundleId: NEW, previousBundle: null, state: 'pending', error: null, updatedMs: T0,
    }));
    for (const m of this.devices) this.view.set(m.device, { online: true, reported: report(m.device, T0 - 1000), desiredBundle: OLD });
  }

  input(): EngineInput {
    return { deployment: this.d, devices: this.devices, view: this.view, now: this.now };
  }

  apply(step: EngineStep): EngineStep {
    this.d = step.deployment;
    this.devices = step.devices;
    this.actions.push(...step.actions);
    this.events.push(...step.events);
    for (const a of step.actions) {
      if (a.type === 'setDesired') this.view.set(a.device, { ...this.view.get(a.device)!, desiredBundle: a.bundleId });
    }
    return step;
  }

  tick(ms = 0): EngineStep {
    this.now += ms;
    return this.apply(evaluate(this.input()));
  }

  /** The device reports (arriving now). */
  reports(device: string, more: Partial<ReportedRecord>): void {
    const v = this.view.get(device)!;
    this.view.set(device, { ...v, reported: { ...(v.reported ?? report(device, this.now)), receivedMs: this.now, tsMs: this.now, ...more } });
  }

  installs(device: string, more: Partial<ReportedRecord> = {}): void {
    this.reports(device, { activeBundle: NEW, healthy: true, inactiveBundle: OLD, desiredBundle: NEW, phase: 'active', activatedMs: this.now, ...more });
  }

  offline(device: string): void {
    this.view.set(device, { ...this.view.get(device)!, online: false });
  }

  desired(): Map<string, string | null> {
    const out = new Map<string, string | null>();
    for (const a of this.actions) if (a.type === 'setDesired') out.set(a.device, a.bundleId);
    return out;
  }

  audits(): string[] {
    return this.actions.filter((a): a is Extract<Action, { type: 'audit' }> => a.type === 'audit').map((a) => a.action);
  }

  take(): Action[] {
    const a = this.actions;
    this.actions = [];
    return a;
  }

  state(device: string): string {
    return this.devices.find((m) => m.device === device)!.state;
  }
}

function refusedState(f: () => unknown, message: RegExp): void {
  assert.throws(f, (e: unknown) => isEdgehiveError(e, 'EH_STATE') && message.test(e.message));
}

describe('rollout engine', () => {
  let f: Fleet;
  beforeEach(() => {
    // Wave 0: d0; wave 1: d1, d2; wave 2: d3..d5.
    f = new Fleet([0, 1, 1, 2, 2, 2], [10, 50, 100]);
  });

  it('starts the first wave only: records what each device ran, asks it for the new bundle', () => {
    f.view.set('d0', { online: true, reported: null, desiredBundle: 'p'.repeat(64) });
    f.apply(startDeployment(f.input()));
    assert.deepEqual([...f.desired()], [['d0', NEW]], 'only wave 0 is asked');
    assert.equal(f.devices[0]!.previousBundle, 'p'.repeat(64), 'no report: the desired bundle is the previous one');
    assert.deepEqual(f.d.waves.map((w) => w.state), ['running', 'pending', 'pending']);
    assert.equal(f.d.waves[0]!.startedMs, T0);
    assert.deepEqual(f.audits(), ['wave.start']);

    f.installs('d0');
    f.tick(1000);
    assert.equal(f.state('d0'), 'installed');
    assert.equal(f.d.waves[0]!.state, 'soaking');
    f.tick(SOAK);
    assert.deepEqual(f.d.waves.map((w) => w.state), ['passed', 'running', 'pending']);
    assert.equal(f.devices[1]!.previousBundle, OLD, 'a report names what the device runs: that is the previous bundle');
    assert.deepEqual(f.desired().get('d1'), NEW);
    assert.equal(f.desired().has('d3'), false);
  });

  it('reads installing, installed and failed from the reports, and holds no failure from before the wave against it', () => {
    f.reports('d0', { failedBundle: NEW, errorCode: 'EH_BUNDLE_HEALTH', errorMessage: 'old attempt' });
    f.now += 10;
    f.apply(startDeployment(f.input()));
    assert.equal(f.state('d0'), 'pending', 'the failure arrived before the wave started');
    f.reports('d0', { phase: 'downloading', installingBundle: NEW, desiredBundle: NEW, chunksHave: 1, chunksTotal: 3 });
    f.tick(5);
    assert.equal(f.state('d0'), 'installing');
    f.reports('d0', { activeBundle: NEW, healthy: false, phase: 'checking' });
    f.tick(5);
    assert.equal(f.state('d0'), 'installing', 'active but not yet healthy is not installed');
    f.reports('d0', { activeBundle: OLD, healthy: true, phase: 'rolled-back', installingBundle: null, failedBundle: NEW, errorCode: 'EH_BUNDLE_HEALTH', errorMessage: 'latency 80 ms > 25 ms' });
    f.tick(5);
    assert.equal(f.state('d0'), 'failed');
    assert.equal(f.devices[0]!.error, 'EH_BUNDLE_HEALTH: latency 80 ms > 25 ms');
  });

  it('fails a wave at once on a failed install: halts, names the gate, and puts the wave back', () => {
    f = new Fleet([0, 0, 0, 1], [75, 100]);
    f.apply(startDeployment(f.input()));
    f.installs('d0');
    f.reports('d1', { failedBundle: NEW, errorCode: 'EH_BUNDLE_SIGNATURE', errorMessage: 'bad signature', phase: 'failed' });
    f.reports('d2', { phase: 'downloading', installingBundle: NEW });
    f.take();
    f.tick(100);
    assert.equal(f.d.state, 'halted');
    assert.equal(f.d.waves[0]!.state, 'failed');
    assert.match(f.d.reason!, /wave 0 failed its gate maxFailedInstalls: 1 failed install\(s\) > 0/);
    assert.equal(f.d.waves[0]!.reason, f.d.reason);
    assert.deepEqual([...f.desired()].sort(), [['d0', OLD], ['d1', OLD], ['d2', OLD]], 'every device of the wave goes back, the failed one too');
    assert.deepEqual(f.devices.map((m) => m.state), ['restored', 'failed', 'restored', 'pending']);
    const audits = f.audits();
    assert.deepEqual(audits.filter((a) => a !== 'device.restored'), ['wave.failed']);
    assert.equal(audits.filter((a) => a === 'device.restored').length, 3);
    const failed = f.actions.find((a) => a.type === 'audit' && a.action === 'wave.failed') as Extract<Action, { type: 'audit' }>;
    assert.deepEqual((failed.details!.verdicts as Record<string, unknown>).failedInstalls, { value: 1, limit: 0, ok: false });

    f.take();
    f.tick(SOAK * 3);
    assert.equal(f.d.state, 'halted', 'a halted deployment does not advance');
    assert.deepEqual(f.take().filter((a) => a.type === 'setDesired'), []);
  });

  it('fails a wave on its error rate or latency over the devices on the new bundle, with the figures', () => {
    f = new Fleet([0, 0, 1], [60, 100], { gates: { maxErrorRate: 0.05 } });
    f.apply(startDeployment(f.input()));
    f.installs('d0', { inferences: 1000, inferenceErrors: 40 });
    f.installs('d1', { inferences: 1000, inferenceErrors: 10 });
    f.tick(10);
    assert.equal(f.d.state, 'running', '50 errors in 2000 inferences is 0.025: within the gate');
    f.reports('d1', { inferences: 1000, inferenceErrors: 80 });
    f.tick(10);
    assert.equal(f.d.state, 'halted');
    assert.match(f.d.reason!, /wave 0 failed its gate maxErrorRate: error rate 0\.06 \(over 2000 inferences\) > 0\.05/);

    const g = new Fleet([0, 1], [50, 100], { gates: { maxP99LatencyMs: 50 } });
    g.apply(startDeployment(g.input()));
    g.installs('d0', { latencyP99Ms: 73.5, inferences: 10 });
    g.tick(10);
    assert.equal(g.d.state, 'halted');
    assert.match(g.d.reason!, /wave 0 failed its gate maxP99LatencyMs: p99 latency 73\.5 ms > 50 ms/);
  });

  it('lets offline devices not block a wave, passes it after the soak, and completes after the last', () => {
    f.apply(startDeployment(f.input()));
    f.installs('d0');
    f.tick(1);
    f.tick(SOAK - 1);
    assert.equal(f.d.waves[0]!.state, 'soaking', 'not before minSoakMs');
    f.tick(1);
    assert.equal(f.d.currentWave, 1);
    f.offline('d2');
    f.installs('d1');
    f.tick(1);
    assert.equal(f.d.waves[1]!.state, 'soaking', 'd2 is offline: the wave settles without it');
    const status = deploymentStatus(f.d, f.devices, f.view, f.now);
    assert.deepEqual(status.waves[1]!.counts, { pending: 0, installing: 0, installed: 1, failed: 0, offline: 1, restored: 0 });
    assert.equal(status.devices.find((x) => x.id === 'd2')!.state, 'offline');
    f.tick(SOAK);
    assert.equal(f.d.currentWave, 2);
    for (const d of ['d3', 'd4', 'd5']) f.installs(d);
    f.tick(1);
    f.tick(SOAK);
    assert.equal(f.d.state, 'completed');
    assert.deepEqual(f.d.waves.map((w) => w.state), ['passed', 'passed', 'passed']);
    assert.deepEqual(f.audits(), ['wave.start', 'wave.passed', 'wave.start', 'wave.passed', 'wave.start', 'wave.passed', 'deployment.completed']);
    assert.ok(f.actions.some((a) => a.type === 'collectGarbage'));
    assert.equal(f.desired().get('d2'), NEW, 'the offline device keeps its desired state and converges when back');
  });

  it('passes an empty wave at once', () => {
    f = new Fleet([0, 2], [5, 25, 100], { gates: { minSoakMs: 0 } });
    f.apply(startDeployment(f.input()));
    f.installs('d0');
    f.tick(1);
    assert.deepEqual(f.d.waves.map((w) => w.state), ['passed', 'passed', 'running']);
    assert.equal(f.d.currentWave, 2);
  });

  it('waits for resume after each wave without autoAdvance', () => {
    f = new Fleet([0, 1], [50, 100], { autoAdvance: false });
    f.apply(startDeployment(f.input()));
    f.installs('d0');
    f.tick(1);
    f.tick(SOAK);
    assert.equal(f.d.state, 'halted');
    assert.match(f.d.reason!, /wave 0 passed; autoAdvance is off/);
    assert.equal(f.desired().has('d1'), false);
    f.apply(resume(f.input(), 'token:ops'));
    assert.equal(f.d.state, 'running');
    assert.equal(f.d.currentWave, 1);
    assert.equal(f.desired().get('d1'), NEW);
    assert.deepEqual(f.audits().slice(-2), ['deployment.resume', 'wave.start']);
  });

  it('re-runs a failed wave on resume: asks again the devices that do not run the bundle', () => {
    f = new Fleet([0, 0, 1], [60, 100]);
    f.apply(startDeployment(f.input()));
    f.installs('d0');
    f.reports('d1', { failedBundle: NEW, errorCode: 'EH_BUNDLE_HEALTH', errorMessage: 'output off' });
    f.tick(1);
    assert.equal(f.d.waves[0]!.state, 'failed');
    f.take();
    f.reports('d0', { activeBundle: OLD, desiredBundle: OLD });
    f.now += 100;
    f.apply(resume(f.input(), 'token:ops'));
    assert.equal(f.d.state, 'running');
    assert.equal(f.d.waves[0]!.state, 'running');
    assert.equal(f.d.waves[0]!.startedMs, f.now);
    assert.deepEqual([...f.desired()].sort(), [['d0', NEW], ['d1', NEW]]);
    assert.deepEqual(f.devices.map((m) => m.state), ['pending', 'pending', 'pending'], "d1's old failure is not held against the re-run");
    f.installs('d0');
    f.installs('d1');
    f.tick(1);
    f.tick(SOAK);
    assert.equal(f.d.currentWave, 1);
    assert.equal(f.devices[0]!.previousBundle, OLD, 'the previous bundle is the one from before the deployment');
  });

  it('on a re-run, asks again a device that was told to go back but still runs the bundle, and counts it installed', () => {
    f = new Fleet([0, 0, 1], [60, 100], { gates: { minSoakMs: 0 } });
    f.apply(startDeployment(f.input()));
    f.installs('d0');
    f.reports('d1', { failedBundle: NEW, errorCode: 'EH_BUNDLE_HEALTH' });
    f.tick(1);
    assert.equal(f.state('d0'), 'restored');
    assert.equal(f.desired().get('d0'), OLD);
    f.take();
    f.now += 10;
    f.apply(resume(f.input(), 'token:ops'));
    assert.equal(f.desired().get('d0'), NEW, 'told the new bundle again, or it would go back after the re-run');
    assert.equal(f.state('d0'), 'installed');
    f.installs('d1');
    f.tick(1);
    assert.equal(f.d.currentWave, 1, 'the re-run wave passed');
  });

  it('halts without touching devices, refuses what does not fit the state, and aborts back to the previous bundles', () => {
    f.apply(startDeployment(f.input()));
    f.installs('d0');
    f.tick(1);
    f.tick(SOAK);
    f.installs('d1');
    f.tick(1);
    f.take();
    f.apply(halt(f.input(), 'token:ops', 'looking at a dashboard'));
    assert.equal(f.d.state, 'halted');
    assert.equal(f.d.reason, 'looking at a dashboard');
    assert.deepEqual(f.take().map((a) => a.type === 'audit' ? a.action : a.type), ['deployment.halt']);
    refusedState(() => halt(f.input(), 'token:ops'), /cannot halt deployment dep-1: it is halted/);
    f.tick(SOAK * 2);
    assert.equal(f.d.currentWave, 1, 'halted: no new wave');

    f.apply(abort(f.input(), 'token:ops', 'bad model'));
    assert.equal(f.d.state, 'aborted');
    assert.deepEqual([...f.desired()].sort(), [['d0', OLD], ['d1', OLD], ['d2', OLD]], 'waves 0 and 1 go back; wave 2 never changed');
    assert.deepEqual(f.devices.map((m) => m.state), ['restored', 'restored', 'restored', 'pending', 'pending', 'pending']);
    assert.ok(f.actions.some((a) => a.type === 'collectGarbage'));
    assert.equal(f.audits()[0], 'deployment.abort');
    refusedState(() => abort(f.input(), 'token:ops'), /it is aborted/);
    refusedState(() => resume(f.input(), 'token:ops'), /only a halted deployment can be resumed/);
    assert.deepEqual([...expectedDesired(f.d, f.devices)].sort(), [['d0', OLD], ['d1', OLD], ['d2', OLD]]);
  });

  it('says which desired state each started device should have', () => {
    f.apply(startDeployment(f.input()));
    assert.deepEqual([...expectedDesired(f.d, f.devices)], [['d0', NEW]]);
  });
});
