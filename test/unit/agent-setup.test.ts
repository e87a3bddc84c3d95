import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { loadAgentConfig } from '../../edge-agent/config/load-config.ts';
import { loadOrCreateIdentity } from '../../edge-agent/identity/identity.ts';
import { runAgentCommand } from '../../edge-agent/cli.ts';
import { Backoff } from '../../edge-agent/uplink/backoff.ts';
import { isEdgehiveError } from '../../shared/errors/index.ts';
import { parseAgentConfig } from '../../shared/config/agent-config.ts';
import { silentLogger } from '../../shared/log/logger.ts';
import { Agent } from '../../edge-agent/agent.ts';

const dirs: string[] = [];
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'eh-setup-'));
  dirs.push(d);
  return d;
}

const base = { fleet: 'f1', deviceId: 'dev-1', profile: 'p1', dataDir: 'data', hub: { mqttUrl: 'mqtt://127.0.0.1:1883' } };

function write(doc: unknown): string {
  const file = join(tmp(), 'agent.json');
  writeFileSync(file, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return file;
}

function rejects(doc: unknown, field: RegExp): void {
  assert.throws(() => loadAgentConfig(write(doc)), (e) => {
    assert.ok(isEdgehiveError(e, 'EH_CONFIG_INVALID'), String(e));
    assert.match(e.message, field);
    return true;
  });
}

describe('agent config file', () => {
  test('applies defaults and resolves dataDir and sensor files against the file', () => {
    const file = write({ ...base, sensors: [{ kind: 'jsonl', stream: 'env', features: ['t'], file: 'in/env.jsonl' }] });
    const cfg = loadAgentConfig(file);
    const dir = join(file, '..');
    assert.equal(cfg.dataDir, join(dir, 'data'));
    assert.equal(cfg.sensors[0]!.kind === 'jsonl' && cfg.sensors[0]!.file, join(dir, 'in/env.jsonl'));
    assert.equal(cfg.buffer.chunkMaxDelayMs, 100);
    assert.equal(cfg.uplink.maxInFlight, 8);
  });

  test('resolves the root key file against the config file, not the working directory', () => {
    const file = write({ ...base, bundles: { rootFile: 'keys/root-1.json' } });
    assert.equal(loadAgentConfig(file).bundles.rootFile, join(file, '..', 'keys/root-1.json'));
  });

  test('errors name the bad field', () => {
    rejects({ ...base, uplink: { ackTimeoutMs: 'soon' } }, /\/uplink\/ackTimeoutMs/);
    rejects({ ...base, deviceId: 'no spaces' }, /\/deviceId/);
    rejects({ ...base, buffer: { maxBytes: 1000 } }, /\/buffer\/maxBytes/);
    rejects({ ...base, extra: 1 }, /extra|\/: /);
    rejects({ ...base, uplink: { reconnectMinMs: 5000, reconnectMaxMs: 100 } }, /\/uplink\/reconnectMinMs/);
    rejects({ ...base, sensors: [{ kind: 'jsonl', stream: 'env', features: ['t'] }] }, /\/sensors\/0: a jsonl sensor needs exactly one of "file" or "command"/);
    rejects({ ...base, sensors: [{ kind: 'system', stream: 'events' }] }, /\/sensors\/0\/stream: "events" is reserved/);
    rejects({ ...base, sensors: [{ kind: 'system', stream: 's' }, { kind: 'system', stream: 's' }] }, /\/sensors\/1\/stream/);
  });

  test('a file that is missing or not JSON is named', () => {
    assert.throws(() => loadAgentConfig(join(tmp(), 'nope.json')), /cannot read agent config .*nope\.json: ENOENT/);
    const bad = write('{ "fleet": ');
    assert.throws(() => loadAgentConfig(bad), (e) => isEdgehiveError(e, 'EH_CONFIG_INVALID') && e.message.includes(bad) && /not valid JSON/.test(e.message));
  });
});

describe('agent identity', () => {
  test('is created once with mode 0600 and loaded the same afterwards', () => {
    const dir = join(tmp(), 'data');
    const a = loadOrCreateIdentity(dir);
    assert.equal(a.created, true);
    assert.equal(statSync(a.path).mode & 0o777, 0o600);
    const b = loadOrCreateIdentity(dir);
    assert.equal(b.created, false);
    assert.equal(b.publicKeyBase64, a.publicKeyBase64);
    assert.equal(a.publicKey.length, 32);
  });

  test('keygen prints the public key for provisioning', () => {
    const dir = join(tmp(), 'data');
    const script = `import { runAgentCommand } from ${JSON.stringify(new URL('../../edge-agent/cli.ts', import.meta.url).href)}; await runAgentCommand(['keygen', '--data-dir', ${JSON.stringify(dir)}]);`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    assert.equal(out, loadOrCreateIdentity(dir).publicKeyBase64);
  });

  test('the agent command asks for --config', async () => {
    await assert.rejects(runAgentCommand([]), /--config is required/);
    await assert.rejects(runAgentCommand(['--bogus']), /bogus/);
  });
});

describe('reconnect backoff', () => {
  test('stays between the minimum and the maximum and grows', () => {
    const hi = new Backoff(100, 1000, () => 1);
    assert.deepEqual([1, 2, 3, 4, 5].map(() => hi.next()), [200, 400, 800, 1000, 1000]);
    hi.reset();
    assert.equal(hi.next(), 200);
    const lo = new Backoff(100, 1000, () => 0);
    assert.equal(lo.next(), 100);
  });
});

describe('agent start', () => {
  test('a sensor kind nobody provides fails the start, naming it, and leaves the data dir usable', async () => {
    const dataDir = join(tmp(), 'data');
    const config = parseAgentConfig({
      ...base, dataDir, hub: { mqttUrl: 'mqtt://127.0.0.1:9' },
      sensors: [{ kind: 'sim', stream: 'pump', model: 'pump', seed: 1, originMs: 1_700_000_000_000, clock: { fleetEpochMs: 0, wallEpochMs: 0, speed: 1 } }],
    });
    const a = new Agent(config, { logger: silentLogger() });
    await assert.rejects(a.start(), /sensor kind "sim" is not available/);
    const b = new Agent({ ...config, sensors: [] }, { logger: silentLogger() });
    await b.start();
    assert.equal(b.stats().connected, false);
    await b.stop();
    await assert.rejects(b.start(), /already started/);
  });
});
