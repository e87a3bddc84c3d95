/** The hub's config schema, its defaults, and `edgehive hub` flags. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hubConfigFromArgs } from '../../cloud-hub/cli.ts';
import { advertisedMqttUrl, parseHubConfig } from '../../cloud-hub/config/hub-config.ts';
import { isEdgehiveError } from '../../shared/errors/index.ts';

describe('hub config', () => {
  it('fills every default from a data dir alone', () => {
    const c = parseHubConfig({ dataDir: '/tmp/x' });
    assert.equal(c.fleet, 'default');
    assert.deepEqual(c.mqtt, { mode: 'embedded', host: '0.0.0.0', port: 1883 });
    assert.deepEqual(c.http, { host: '127.0.0.1', port: 8080 });
    assert.deepEqual(c.store, { kind: 'sqlite' });
    assert.equal(c.ingest.maxSeqJump, 10_000_000);
    assert.equal(advertisedMqttUrl(c, 41883), 'mqtt://127.0.0.1:41883');
  });

  it('reads a broker URL as external mode and a port as embedded, without a mode field', () => {
    assert.deepEqual(parseHubConfig({ dataDir: 'd', mqtt: { url: 'mqtt://broker:1883', username: 'hub' } }).mqtt, { mode: 'external', url: 'mqtt://broker:1883', username: 'hub' });
    const tls = parseHubConfig({ dataDir: 'd', mqtt: { port: 0, tls: { certFile: 'c.pem', keyFile: 'k.pem' } } }).mqtt;
    assert.deepEqual(tls, { mode: 'embedded', host: '0.0.0.0', port: 0, tls: { certFile: 'c.pem', keyFile: 'k.pem', port: 8883 } });
  });

  it('names the bad field when the config is wrong', () => {
    assert.throws(() => parseHubConfig({ dataDir: 'd', http: { port: 70000 } }), (e: unknown) => isEdgehiveError(e, 'EH_CONFIG_INVALID') && /\/http\/port/.test(e.message));
    assert.throws(() => parseHubConfig({ dataDir: 'd', fleet: 'no spaces' }), (e: unknown) => isEdgehiveError(e, 'EH_CONFIG_INVALID') && /\/fleet/.test(e.message));
    assert.throws(() => parseHubConfig({}), (e: unknown) => isEdgehiveError(e, 'EH_CONFIG_INVALID') && /dataDir/.test(e.message));
  });

  it('turns `edgehive hub` flags and the environment into a config', () => {
    const c = hubConfigFromArgs(['--port', '0', '--http-port', '9090', '--data-dir', '/var/lib/eh', '--pg', 'postgres://db/eh', '--fleet', 'north'], { EDGEHIVE_ADMIN_TOKEN: 'a-known-admin-token-1234' })!;
    assert.equal(c.fleet, 'north');
    assert.equal(c.dataDir, '/var/lib/eh');
    assert.equal(c.mqtt.mode === 'embedded' && c.mqtt.port, 0);
    assert.equal(c.http.port, 9090);
    assert.deepEqual(c.store, { kind: 'postgres', url: 'postgres://db/eh' });
    assert.equal(c.bootstrapAdminToken, 'a-known-admin-token-1234');
    const ext = hubConfigFromArgs(['--mqtt-url', 'mqtt://127.0.0.1:1883'], {})!;
    assert.deepEqual(ext.mqtt, { mode: 'external', url: 'mqtt://127.0.0.1:1883' });
    assert.equal(hubConfigFromArgs(['--help'], {}), null);
    assert.throws(() => hubConfigFromArgs(['--tls-cert', 'c.pem'], {}), /go together/);
    assert.throws(() => hubConfigFromArgs(['--port', 'abc'], {}), /--port/);
  });
});
