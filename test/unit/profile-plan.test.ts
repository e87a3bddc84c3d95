import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadProfiles, type DeviceProfile } from '../../device-profiles/index.ts';
import {
  AGENT_OVERHEAD_BYTES, measureFootprint, planProfile, planProfiles, requireFit, type VariantCandidate,
} from '../../cloud-hub/profiles/index.ts';
import { denseModel } from '../support/tiny-onnx.ts';

type EdgehiveLike = Error & { code?: string; details?: Record<string, unknown> };
const MiB = 1024 * 1024;
const PROFILES = loadProfiles();
const byId = (id: string): DeviceProfile => {
  const p = PROFILES.find((x) => x.id === id);
  assert.ok(p, `profile ${id} is shipped`);
  return p;
};

function candidate(variant: 'fp32' | 'int8', bytes: number, accepted = true, over: Partial<VariantCandidate['footprint']> = {}): VariantCandidate {
  return {
    variant, bytes, accepted,
    footprint: { hubLatencyMsP50: 0.2, hubLatencyMsP99: 0.5, peakMemoryBytes: 90 * MiB + bytes * 3, ...over },
  };
}

test('int8 where the class has int8 instructions and the gate accepted it, fp32 where it lacks them', () => {
  const plans = planProfiles(PROFILES, [candidate('fp32', 2 * MiB), candidate('int8', 0.6 * MiB)]);
  const pick = Object.fromEntries(plans.map((p) => [p.profile, p.variant]));
  for (const p of PROFILES) assert.equal(pick[p.id], p.int8.supported ? 'int8' : 'fp32', `${p.id}: ${plans.find((x) => x.profile === p.id)?.reason}`);
  assert.equal(pick['rpi5'], 'int8');
  assert.equal(pick['rpi4'], 'fp32');
  const rpi5 = plans.find((p) => p.profile === 'rpi5')!;
  assert.match(rpi5.reason, /rpi5: int8 \(the class has int8 instructions/);
  // estimates: latency = hub p99 × computeFactor, memory = measured peak + agent overhead, bytes = file size
  assert.equal(rpi5.estimates!.latencyMs, 0.5 * 3);
  assert.equal(rpi5.estimates!.latencyMsP50, 0.2 * 3);
  assert.equal(rpi5.estimates!.memoryBytes, 90 * MiB + 0.6 * MiB * 3 + AGENT_OVERHEAD_BYTES);
  assert.equal(rpi5.estimates!.bytes, 0.6 * MiB);
  assert.match(plans.find((p) => p.profile === 'rpi4')!.reason, /no int8 dot-product instructions/);
});

test('a refused int8 variant is never deployed: fp32 everywhere', () => {
  const plans = planProfiles(PROFILES, [candidate('fp32', 2 * MiB), candidate('int8', 0.6 * MiB, false)]);
  for (const p of plans) assert.equal(p.variant, 'fp32', p.reason);
  assert.match(plans.find((p) => p.profile === 'rpi5')!.reason, /int8 variant was refused by its gate or does not fit/);
  const none = planProfile(byId('rpi5'), [candidate('fp32', 2 * MiB, false), candidate('int8', MiB, false)]);
  assert.equal(none.variant, null);
  assert.match(none.reason, /no variant passed its gates/);
});

test('an int8 variant not smaller than fp32 (a few-KB model) is passed over for fp32 even where the class has int8 instructions', () => {
  const plans = planProfiles(PROFILES, [candidate('fp32', 5804), candidate('int8', 6436)]);
  for (const p of plans) assert.equal(p.variant, 'fp32', p.reason);
  const rpi5 = plans.find((p) => p.profile === 'rpi5')!;
  assert.match(rpi5.reason, /rpi5: fp32 \(the int8 variant is not smaller than fp32 \(6436 vs 5804 bytes\), so int8 would cost accuracy for nothing\)/);
  assert.equal(planProfile(byId('rpi5'), [candidate('fp32', 5804), candidate('int8', 5804)]).variant, 'fp32', 'equal size: not smaller');
  assert.equal(planProfile(byId('rpi5'), [candidate('fp32', 5804), candidate('int8', 3246)]).variant, 'int8', 'smaller int8 is still preferred');
  // Where fp32 does not fit, the accepted int8 variant is still tried.
  const slowFp32: VariantCandidate = { ...candidate('fp32', 5804), footprint: { hubLatencyMsP50: 50, hubLatencyMsP99: 500, peakMemoryBytes: 90 * MiB } };
  const fallback = planProfile(byId('rpi5'), [slowFp32, candidate('int8', 6436)]);
  assert.equal(fallback.variant, 'int8', fallback.reason);
  assert.match(fallback.reason, /int8 \(fp32 does not fit, the int8 variant passed its gate\); fp32 does not fit: .*inferenceLatencyBudgetMs/);
});

test('a model too big for rpi-zero-2w is refused there, naming maxModelBytes and by how much; bigger classes take it', () => {
  const big = 20 * MiB;
  const plans = planProfiles(PROFILES, [candidate('fp32', big), candidate('int8', 6 * MiB, false)]);
  const zero = plans.find((p) => p.profile === 'rpi-zero-2w')!;
  assert.equal(zero.variant, null);
  assert.match(zero.reason, /rpi-zero-2w: no variant fits — fp32: profile rpi-zero-2w: model is 20971520 bytes \(20\.0 MiB\), over maxModelBytes 8388608 bytes \(8\.0 MiB\); over by 12582912 bytes \(150\.0 % over\)/);
  assert.equal(plans.find((p) => p.profile === 'rpi4')!.variant, 'fp32');
  assert.throws(() => requireFit(zero), (e: EdgehiveLike) => e.code === 'EH_PROFILE_UNFIT' && /maxModelBytes/.test(e.message)
    && JSON.stringify(e.details).includes('"limit":"maxModelBytes"'));
  assert.equal(requireFit(plans.find((p) => p.profile === 'rpi4')!), 'fp32');
  // with an accepted int8 variant that fits, the Zero gets int8 even without dot-product instructions
  const withInt8 = planProfile(byId('rpi-zero-2w'), [candidate('fp32', big), candidate('int8', 6 * MiB)]);
  assert.equal(withInt8.variant, 'int8');
  assert.match(withInt8.reason, /int8 \(fp32 does not fit, the int8 variant passed its gate.*\); fp32 does not fit: .*maxModelBytes/);
});

test('memory and latency limits: maxAgentRssBytes and inferenceLatencyBudgetMs are named', () => {
  const zero = byId('rpi-zero-2w');
  const fat = planProfile(zero, [candidate('fp32', MiB, true, { peakMemoryBytes: 150 * MiB })]);
  assert.equal(fat.variant, null);
  assert.match(fat.reason, /peak agent RSS is .* over maxAgentRssBytes 167772160 bytes/);
  const slow = planProfile(zero, [candidate('fp32', MiB, true, { hubLatencyMsP99: 20 })]);
  assert.equal(slow.variant, null);
  assert.match(slow.reason, /estimated latency is 320 ms, over inferenceLatencyBudgetMs 250 ms; over by 70 ms \(28\.0 % over\)/);
  assert.equal(planProfile(zero, [candidate('fp32', MiB, true, { peakMemoryBytes: 150 * MiB })], { agentOverheadBytes: 0 }).variant, 'fp32');
});

test('measured footprints of real models: a small model fits every class, an 8.4 MB one is refused by rpi-zero-2w', async () => {
  const small = denseModel(new Float32Array(64 * 64).fill(0.01), 64, 64, new Array(64).fill(0));
  const f = await measureFootprint(small, [64], { runs: 50 });
  assert.equal(f.modelBytes, small.byteLength);
  assert.ok(f.hubLatencyMsP50 > 0 && f.hubLatencyMsP50 <= f.hubLatencyMsP99);
  assert.ok(f.peakMemoryBytes > f.runtimeBaselineBytes && f.runtimeBaselineBytes > 10 * MiB, JSON.stringify(f));
  const plans = planProfiles(PROFILES, [{ variant: 'fp32', bytes: f.modelBytes, footprint: f, accepted: true }]);
  // Size and memory must fit everywhere; a measured p99 on a loaded test machine may not (it is wall time).
  const fitsOrSlow = (p: (typeof plans)[number]): boolean => p.variant === 'fp32' || p.tried[0]?.fit.ok === false && p.tried[0].fit.failed === 'inferenceLatencyBudgetMs';
  for (const p of plans) assert.ok(fitsOrSlow(p), p.reason);

  const n = 1450; // 1450² floats ≈ 8.4 MB > the Zero's 8 MiB
  const big = denseModel(new Float32Array(n * n).fill(0.001), n, n, new Array(n).fill(0));
  const g = await measureFootprint(big, [n], { runs: 20 });
  assert.ok(g.peakMemoryBytes - g.runtimeBaselineBytes > big.byteLength, 'ORT holds at least the weights');
  const bigPlans = planProfiles(PROFILES, [{ variant: 'fp32', bytes: g.modelBytes, footprint: g, accepted: true }]);
  const zero = bigPlans.find((p) => p.profile === 'rpi-zero-2w')!;
  assert.equal(zero.variant, null);
  assert.match(zero.reason, /over maxModelBytes 8388608 bytes/);
  assert.ok(fitsOrSlow(bigPlans.find((p) => p.profile === 'rpi5')!));
  await assert.rejects(measureFootprint(small, [63]), (e: EdgehiveLike) => e.code === 'EH_INFERENCE_FAILED');
});
