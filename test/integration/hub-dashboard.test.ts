import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateKeyPair, toBase64 } from '../../shared/crypto/ed25519.ts';
import { ADMIN_TOKEN, startTestHub, type TestHub } from './hub-helpers.ts';

describe('web dashboard', () => {
  let h: TestHub;
  before(async () => { h = await startTestHub({ fleet: 'dash' }); });
  after(async () => { await h.close(); });

  it('serves the page at / without a token, and the data it reads needs one', async () => {
    const page = await fetch(`${h.hub.httpUrl}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    const html = await page.text();
    assert.match(html, /edgehive hub/);
    assert.match(html, /\/api\/v1\/devices/);
    assert.equal((await fetch(`${h.hub.httpUrl}/api/v1/devices`)).status, 401);
  });

  it('the device list the page renders carries the fields it shows', async () => {
    await h.hub.provision({ id: 'dash-1', profile: 'rpi4', group: 'g', publicKey: toBase64(generateKeyPair().publicKey) });
    const res = await fetch(`${h.hub.httpUrl}/api/v1/devices?limit=1000`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const body = await res.json() as { devices: Array<Record<string, unknown>> };
    const d = body.devices.find((x) => x.id === 'dash-1')!;
    for (const k of ['id', 'group', 'profile', 'online', 'lastSeenMs', 'readingsStored', 'backlog', 'droppedReadings', 'agentVersion']) assert.ok(k in d, k);
  });
});
