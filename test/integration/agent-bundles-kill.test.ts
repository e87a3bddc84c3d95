/**
 * SIGKILL at each step of an install (download, verify, write, swap, health) leaves the device
 * running a verified model after restart, and it converges to the desired bundle; killed during
 * the health check of a model that fails it, the device comes back on the previous model.
 * The agent runs in a child process (test/support/bundle-agent-child.ts) that kills itself at
 * the step the test names.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BuiltBundle } from '../../shared/bundle/index.ts';
import type { ReportedState } from '../../shared/protocol/messages.ts';
import { topicsFor } from '../../shared/protocol/topics.ts';
import { chunkMessages, FLEET, makeBundle, makeKeys, publishChunks, setDesired, tinyModel, type TestKeys } from '../support/bundle-agent-fixtures.ts';
import { deviceConfig, ReportWatcher, tempDir, waitFor } from '../support/bundle-device.ts';
import { PlainBroker } from '../support/plain-broker.ts';

const CHILD = join(import.meta.dirname, '..', 'support', 'bundle-agent-child.ts');
const NOW = Date.now();
const t = topicsFor(FLEET);

interface Child { proc: ChildProcess; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>; stderr: () => string }

describe('SIGKILL during a bundle install', () => {
  let broker: PlainBroker;
  let watcher: ReportWatcher;
  let k: TestKeys;
  let v1: BuiltBundle;
  let v2: BuiltBundle;
  let failing: BuiltBundle;
  const tmp = tempDir();
  const running = new Set<ChildProcess>();

  before(async () => {
    broker = await PlainBroker.start();
    watcher = await ReportWatcher.start(broker.url);
    k = makeKeys(NOW);
    // The children share these bundles; v2 spans several chunks so a kill can land mid-download.
    v1 = await makeBundle(k, { version: 1, nowMs: NOW });
    v2 = await makeBundle(k, { version: 2, nowMs: NOW, padBytes: 800_000 });
    failing = await makeBundle(k, { version: 3, nowMs: NOW, onnx: tinyModel(3), checkModel: tinyModel() });
    for (const b of [v1, v2, failing]) await publishChunks(broker, b);
  });

  after(async () => {
    for (const p of running) p.kill('SIGKILL');
    await watcher.close();
    await broker.close();
    tmp.remove();
  });

  function start(device: string, env: Record<string, string> = {}): Child {
    const dir = join(tmp.dir, device);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'agent.json');
    if (!existsSync(file)) writeFileSync(file, JSON.stringify(deviceConfig({ url: broker.url, deviceId: device, dataDir: join(dir, 'data'), root: k.rootBody, bundles: { reportEveryMs: 300, chunkWindow: 1 } })));
    const proc = spawn(process.execPath, ['--import', 'tsx', CHILD], { env: { ...process.env, EDGEHIVE_TEST_AGENT_CONFIG: file, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    running.add(proc);
    let err = '';
    proc.stderr?.on('data', (b: Buffer) => { err += b.toString(); });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.once('exit', (code, signal) => { running.delete(proc); resolve({ code, signal }); }));
    return { proc, exited, stderr: () => err };
  }

  const latest = (device: string): ReportedState | undefined => watcher.latest.get(device);

  async function until(device: string, what: string, pred: (r: ReportedState) => boolean, child: Child, timeoutMs = 20_000): Promise<void> {
    await waitFor(what, () => { const r = latest(device); return r !== undefined && pred(r); }, timeoutMs, () => ({ report: latest(device), stderr: child.stderr().slice(-2000) }));
  }

  /** v1 installed, then v2 desired with the child set to die at `step`; returns once it died. */
  async function killAt(device: string, step: string, target: BuiltBundle, extra: Record<string, string> = {}): Promise<void> {
    const child = start(device, { EDGEHIVE_TEST_KILL_AT: step, EDGEHIVE_TEST_KILL_BUNDLE: target.id, ...extra });
    await setDesired(broker, device, v1);
    await until(device, 'v1 active', (r) => r.active?.bundleId === v1.id && r.phase === 'active', child);
    await setDesired(broker, device, target);
    const { signal } = await child.exited;
    assert.equal(signal, 'SIGKILL', `child died at ${step}: ${child.stderr().slice(-2000)}`);
  }

  /** Restarted without the kill: from its first report on it runs v1 or the target, and ends on `expect`. */
  async function restartAndConverge(device: string, expect: { bundle: BuiltBundle; phases: string[] }): Promise<void> {
    const from = watcher.all.length;
    const child = start(device);
    await until(device, `${expect.phases.join('/')} on ${expect.bundle.id.slice(0, 8)}`, (r) => r.active?.bundleId === expect.bundle.id && expect.phases.includes(r.phase) && Number(r.inferences) > 0, child);
    const after = watcher.all.slice(from).filter((x) => x.device === device).map((x) => x.state);
    assert.ok(after.length > 0);
    for (const r of after) assert.ok(r.active?.bundleId === v1.id || r.active?.bundleId === expect.bundle.id, `every report after the restart has a verified model running: ${r.phase} ${r.active?.bundleId ?? 'none'}`);
    child.proc.kill('SIGTERM');
    const { code } = await child.exited;
    assert.equal(code, 0, child.stderr());
  }

  test('killed mid-download: restarts with the stored chunks, fetches only the rest, installs', async () => {
    await killAt('kill-download', 'download', v2, { EDGEHIVE_TEST_KILL_AFTER: '2' });
    const incoming = join(tmp.dir, 'kill-download', 'data', 'bundles', 'incoming', v2.id);
    assert.ok(readdirSync(incoming).length >= 2, 'the chunks stored before the kill are on disk');
    await restartAndConverge('kill-download', { bundle: v2, phases: ['active'] });
    const n = chunkMessages(v2).length;
    for (const i of [0, 1]) assert.equal(broker.subscriptions('kill-download').filter((s) => s === t.bundleChunk(v2.id, i)).length, 1, `chunk ${i} of ${n} requested once`);
  });

  for (const step of ['verify', 'write', 'swap', 'health'] as const) {
    test(`killed at ${step}: back on a verified model, then on the desired bundle`, async () => {
      const device = `kill-${step}`;
      await killAt(device, step, v2);
      await restartAndConverge(device, { bundle: v2, phases: ['active'] });
    });
  }

  test('killed during the health check of a model that fails it: the previous model runs after restart', async () => {
    const device = 'kill-health-bad';
    await killAt(device, 'health', failing);
    // rolled-back, then 'failed' once the retained desired state names the failed bundle again.
    await restartAndConverge(device, { bundle: v1, phases: ['rolled-back', 'failed'] });
    const r = latest(device)!;
    assert.equal(r.errorCode, 'EH_BUNDLE_HEALTH');
    assert.equal(r.failedBundle, failing.id);
    assert.match(r.errorMessage, /output mismatch/);
  });
});
