/**
 * npm run bench:fanout [-- --quick] [--devices 100,500,1000] [--sizes 1,10] [--only embedded|mosquitto]
 *   [--processes 4] [--mqtt-url URL]
 *
 * Time from "deployment created" until every device runs the new bundle, for each bundle size
 * and fleet size, on the hub's embedded broker and on Mosquitto (when one answers), with the
 * bytes the broker sent against devices × bundle size. Target: 1,000 devices on a 1 MiB bundle
 * in under 60 s. See lib/fanout-run.ts for what one run does.
 */
import { findMosquitto } from './lib/hubs.ts';
import { runFanout } from './lib/fanout-run.ts';
import { argValue, isQuick, writeResult, type Metric } from './lib/report.ts';
import { intArg, num, say } from './lib/util.ts';

const quick = isQuick();
const list = (v: string | undefined, dflt: string) => (v ?? dflt).split(',').map((s) => intArg(s, 0, 'list'));
const devices = list(argValue('devices'), quick ? '100' : '100,500,1000');
const sizes = list(argValue('sizes'), quick ? '1' : '1,10');
const processes = intArg(argValue('processes'), 4, 'processes');
const only = argValue('only');

const brokers: Array<{ name: 'embedded' | 'mosquitto'; url?: string }> = [];
if (only !== 'mosquitto') brokers.push({ name: 'embedded' });
if (only !== 'embedded') {
  const url = await findMosquitto();
  if (url) brokers.push({ name: 'mosquitto', url });
  else say('fanout: no MQTT broker answers at --mqtt-url, EDGEHIVE_TEST_MQTT_URL or mqtt://127.0.0.1:1883; Mosquitto runs skipped');
}

const metrics: Record<string, Metric> = {};
const rows: string[][] = [];
for (const b of brokers) {
  for (const mib of sizes) {
    for (const n of devices) {
      say(`fanout: ${b.name} broker, ${mib} MiB bundle, ${n} devices (agents in ${Math.min(processes, n)} processes)`);
      const r = await runFanout({ devices: n, bundleMiB: mib, processes, timeoutMs: 15 * 60_000, ...(b.url ? { externalUrl: b.url } : {}) });
      const key = `${b.name}_${mib}mib_${n}`;
      const target = mib === 1 && n === 1000 ? { target: 60 } : {};
      metrics[`${key}_seconds`] = { value: r.seconds, unit: 's', better: 'lower', ...target };
      const expected = n * r.bundleBytes;
      if (r.brokerBytes !== null) {
        metrics[`${key}_broker_bytes_ratio`] = { value: r.brokerBytes / expected, unit: 'broker bytes / (devices × bundle)', better: 'lower', note: `${num(r.brokerBytes)} bytes sent, ${num(expected)} expected` };
      }
      metrics[`${key}_agents_rss_mib`] = { value: r.agentsRssMiB, unit: 'MiB (all agent processes)', better: 'lower' };
      rows.push([b.name, `${mib} MiB`, String(n), r.seconds.toFixed(1), r.brokerBytes === null ? 'n/a' : (r.brokerBytes / 2 ** 20).toFixed(0), (expected / 2 ** 20).toFixed(0), r.brokerBytes === null ? '' : (r.brokerBytes / expected).toFixed(3)]);
      say(`    all ${n} active in ${r.seconds.toFixed(1)} s`);
    }
  }
}

const head = ['broker', 'bundle', 'devices', 'seconds', 'broker MiB sent', 'devices × bundle MiB', 'ratio'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
console.log(`\n${head.map((h, i) => h.padEnd(widths[i]!)).join('  ')}`);
for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '));
writeResult('fanout', metrics);
