/**
 * Trust changes a running agent sees without being provisioned again: a new signing key (list v2),
 * a new root (v2, signed by a threshold of v1 and of itself), and that what it learnt survives a
 * restart while older trust documents are refused.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateSigningKey, makeKeyList, makeRoot, signKeyList, signRoot, type SignedKeyList, type SignedRoot, type SigningKey } from '../../shared/bundle/index.ts';
import { keyList, makeBundle, makeKeys, publishChunks, reencode, setDesired, type Shippable, type TestKeys } from '../support/bundle-agent-fixtures.ts';
import { deviceConfig, startDevice, tempDir, waitForBundle, type Device } from '../support/bundle-device.ts';
import { PlainBroker } from '../support/plain-broker.ts';

const NOW = Date.now();
const DEV = 'dev-trust';
const YEAR = 365 * 86_400_000;

describe('trust rotation on a running agent', () => {
  let broker: PlainBroker;
  let k: TestKeys;
  let d: Device;
  let key2: SigningKey;
  let root2: SignedRoot;
  let root2Keys: SigningKey[];
  let list3: SignedKeyList;
  const tmp = tempDir();
  const dataDir = join(tmp.dir, DEV);
  const config = () => deviceConfig({ url: broker.url, deviceId: DEV, dataDir, root: k.rootBody });
  const trustFile = () => JSON.parse(readFileSync(join(dataDir, 'bundles', 'trust.json'), 'utf8')) as { root: { version: number }; keyListVersion: number; highestVersion: Record<string, number> };

  async function install(b: Shippable): Promise<void> {
    await publishChunks(broker, b);
    await setDesired(broker, DEV, b);
    await waitForBundle(d.agent, `bundle ${b.id.slice(0, 8)} active`, (s) => s.active?.bundleId === b.id && s.phase === 'active');
  }

  async function refusedWith(b: Shippable, code: string): Promise<void> {
    await publishChunks(broker, b);
    await setDesired(broker, DEV, b);
    await waitForBundle(d.agent, `${code}`, (s) => s.lastError?.bundleId === b.id && s.phase === 'failed');
    assert.equal(d.agent.bundleState().lastError?.code, code, d.agent.bundleState().lastError?.message);
  }

  before(async () => {
    broker = await PlainBroker.start();
    k = makeKeys(NOW);
    d = await startDevice(config());
    await install(await makeBundle(k, { version: 1, nowMs: NOW }));
  });

  after(async () => {
    await d.agent.stop();
    await broker.close();
    tmp.remove();
  });

  test('a bundle signed by a new key in signing-key list v2 is accepted, and list v1 is stale from then on', async () => {
    key2 = generateSigningKey();
    const list2 = keyList(k, { version: 2, nowMs: NOW, keys: [{ key: k.signer, expiresMs: NOW + YEAR }, { key: key2, expiresMs: NOW + YEAR }] });
    await install(await makeBundle(k, { version: 2, nowMs: NOW, signer: key2, keys: list2 }));
    assert.equal(trustFile().keyListVersion, 2);
    await refusedWith(await makeBundle(k, { version: 3, nowMs: NOW }), 'EH_BUNDLE_TRUST_STALE');
  });

  test('a bundle carrying root v2 and a list signed by it is accepted; lists signed by the old root are not', async () => {
    root2Keys = [generateSigningKey(), generateSigningKey(), generateSigningKey()];
    const body = makeRoot({ fleet: k.fleet, version: 2, threshold: 2, publicKeys: root2Keys.map((x) => x.publicKey), createdMs: NOW });
    root2 = signRoot(body, [k.rootKeys[0]!, k.rootKeys[1]!, ...root2Keys]);
    list3 = signKeyList(makeKeyList({ fleet: k.fleet, version: 3, rootVersion: 2, createdMs: NOW - 1000, expiresMs: NOW + YEAR, keys: [{ publicKey: key2.publicKey, expiresMs: NOW + YEAR }] }), root2Keys);
    await install(await makeBundle(k, { version: 4, nowMs: NOW, signer: key2, roots: [...k.roots, root2], keys: list3 }));
    assert.equal(trustFile().root.version, 2);
    assert.equal(trustFile().keyListVersion, 3);

    const oldRootList = keyList(k, { version: 4, nowMs: NOW, keys: [{ key: key2, expiresMs: NOW + YEAR }] });
    await refusedWith(await makeBundle(k, { version: 5, nowMs: NOW, signer: key2, keys: oldRootList }), 'EH_BUNDLE_KEY_UNKNOWN');
  });

  test('after a restart the agent runs its bundle and still trusts root v2 without being told again', async () => {
    await d.agent.stop();
    d = await startDevice(config());
    assert.equal(d.agent.bundleState().active?.version, 4, 'the active slot runs again at start');
    const noChain = reencode(await makeBundle(k, { version: 6, nowMs: NOW, signer: key2, roots: [...k.roots, root2], keys: list3 }), { block: (b) => ({ ...b, roots: [] }) });
    await install(noChain);
    assert.deepEqual(trustFile().highestVersion, { pump: 6 });
  });
});
