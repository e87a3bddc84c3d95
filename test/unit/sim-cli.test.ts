import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../simulators/cli/edgehive.js', import.meta.url));

function run(...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
}

test('edgehive --help lists every command and exits 0', () => {
  const r = run('--help');
  assert.equal(r.status, 0, r.stderr);
  for (const c of ['demo', 'hub', 'agent', 'sim']) assert.match(r.stdout, new RegExp(`^  ${c} `, 'm'));
});

test('edgehive sim --help and edgehive help demo print their usage', () => {
  assert.match(run('sim', '--help').stdout, /--scenario FILE/);
  assert.match(run('help', 'demo').stdout, /Ctrl-C/);
});

test('an unknown command exits 2 and says so', () => {
  const r = run('fly');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown command "fly"/);
});

test('edgehive sim refuses a scenario that restarts the hub it does not own, before provisioning anything', () => {
  const scenario = fileURLToPath(new URL('../../simulators/scenarios/faults.json', import.meta.url));
  const r = run('sim', '--token', 'x', '--api', 'http://127.0.0.1:9', '--scenario', scenario, '--data-dir', '/tmp/edgehive-cli-test-unused');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /does not own the hub/);
});
