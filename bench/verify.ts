/**
 * npm run bench:verify [-- --quick] [--runs N]
 *
 * What verifying a bundle costs an agent, per MiB, for bundles of 1, 10 and 50 MiB (a tiny real
 * ONNX model plus a `weights` artefact of random bytes). The trust chain is the realistic worst
 * case: the agent was provisioned with root v1 and the bundle carries root v2 (2-of-3, signed by
 * both sets) and a signing-key list signed by v2. Median over runs of:
 *  - sig: ed25519 checks of the root chain, the key list and the manifest (size-independent);
 *  - sha256: the whole bundle, as joinChunks checks it after download;
 *  - verify: the full verifyBundle (decode, chain, list, manifest, every artefact's sha256);
 *  - agent: sha256 + verify, what a device spends between the last chunk and writing its slot.
 * ed25519 public keys are cached by shared/crypto after first use, so runs after the first
 * measure the verify itself; `first_verify_ms` reports the cold first run of the smallest size.
 * Writes bench/results/verify.json (verify.quick.json).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { advanceRoot, checkKeyList, decodeBundle, sha256Hex, verifyBundle, verifyDocument } from '../shared/bundle/index.ts';
import { publicKeyOf } from '../shared/bundle/signing-key.ts';
import { ARTEFACTS, build, CTX, DAY, listFor, makeFleet, rotate, T0 } from '../test/support/bundle-trust-fixtures.ts';
import { argValue, isQuick, median, writeResult, type Metric } from './lib/report.ts';
import { intArg, say } from './lib/util.ts';

const quick = isQuick();
const MIB = 1024 * 1024;
const SIZES = quick ? [1, 10] : [1, 10, 50];
const RUNS = intArg(argValue('runs'), quick ? 3 : 9, 'runs');

const fleet = makeFleet();
const r2 = rotate(fleet.roots[0]!.body, fleet.rootKeys.slice(0, 2));
const keys = listFor(r2.signed.body, r2.keys.slice(0, 2), 2, [{ key: fleet.signer, expiresMs: T0 + 90 * DAY }]);
const chain = { ...fleet, roots: [fleet.roots[0]!, r2.signed], keys };
const trust = { root: fleet.roots[0]!.body, keyListVersion: 1, highestVersion: { 'pump-anomaly': 1 } };

function time(f: () => void): number {
  const t = performance.now();
  f();
  return performance.now() - t;
}

function bundleOf(mib: number): Uint8Array {
  const model = ARTEFACTS[0]!;
  const weights = new Uint8Array(randomBytes(mib * MIB - model.data.length - 8 * 1024));
  const b = build(chain, { version: 2 }, { artefacts: [model, { name: 'weights.bin', kind: 'weights', data: weights }] });
  return b.bytes;
}

/** The signature work alone: chain, list and manifest on an already decoded bundle. */
function sigOnly(bytes: Uint8Array): () => void {
  const parts = decodeBundle(bytes);
  return () => {
    const root = advanceRoot(trust.root, parts.block.roots);
    const list = checkKeyList(root, parts.block.keys, CTX.nowMs, trust.keyListVersion);
    const s = parts.block.signatures[0]!;
    const entry = list.keys.find((k) => k.id === s.keyId)!;
    if (!verifyDocument('manifest', parts.manifestBytes, s, publicKeyOf(entry.publicKey, 'signing key'))) throw new Error('manifest signature does not verify');
  };
}

const metrics: Record<string, Metric> = {};
const runs: Record<string, number[]> = {};
let firstVerifyMs = NaN;

say(`bench:verify${quick ? ' (quick)' : ''}: bundles of ${SIZES.join(', ')} MiB, ${RUNS} runs each, root chain v1 → v2`);
for (const mib of SIZES) {
  const bytes = bundleOf(mib);
  const exact = bytes.length / MIB;
  if (Number.isNaN(firstVerifyMs)) firstVerifyMs = time(() => verifyBundle(bytes, trust, CTX));
  const sig = sigOnly(bytes);
  const t = { sig: [] as number[], sha256: [] as number[], verify: [] as number[], agent: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    t.sig.push(time(sig));
    const h = time(() => sha256Hex(bytes));
    const v = time(() => verifyBundle(bytes, trust, CTX));
    t.sha256.push(h);
    t.verify.push(v);
    t.agent.push(h + v);
  }
  const m = (xs: number[]) => median(xs);
  say(`  ${mib} MiB: sig ${m(t.sig).toFixed(2)} ms, sha256 ${m(t.sha256).toFixed(1)} ms, verify ${m(t.verify).toFixed(1)} ms, agent ${m(t.agent).toFixed(1)} ms`);
  metrics[`sig_ms_${mib}mib`] = { value: m(t.sig), unit: 'ms', better: 'lower', note: 'ed25519: root v2 (4 signatures), key list (2), manifest (1)' };
  metrics[`sha256_ms_per_mib_${mib}mib`] = { value: m(t.sha256) / exact, unit: 'ms/MiB', better: 'lower' };
  metrics[`verify_ms_${mib}mib`] = { value: m(t.verify), unit: 'ms', better: 'lower' };
  metrics[`verify_ms_per_mib_${mib}mib`] = { value: m(t.verify) / exact, unit: 'ms/MiB', better: 'lower' };
  metrics[`agent_ms_per_mib_${mib}mib`] = { value: m(t.agent) / exact, unit: 'ms/MiB', better: 'lower', note: 'whole-bundle sha256 + verifyBundle' };
  for (const [k, xs] of Object.entries(t)) runs[`${k}_ms_${mib}mib`] = xs.map((x) => Number(x.toFixed(3)));
}
const largest = SIZES[SIZES.length - 1]!;
metrics.verify_ms_per_mib = { ...metrics[`verify_ms_per_mib_${largest}mib`]!, note: `at ${largest} MiB, where per-MiB hashing dominates` };
metrics.first_verify_ms = { value: firstVerifyMs, unit: 'ms', better: 'lower', note: `cold first verifyBundle of the ${SIZES[0]} MiB bundle (key objects not yet cached)` };
writeResult('verify', metrics, runs);
