/**
 * Pure: where a shadow evaluation stands, from the shadow devices' latest ShadowStats and the
 * policy (decision 0013). Nothing is decided until every shadow device has scored
 * minInferences readings with the challenger, so one busy device cannot speak for a quiet one;
 * then the challenger wins only if every device agrees enough and is fast enough, and its error
 * rate over all devices is within the limit. A challenger that failed on a device, or an
 * evaluation still short of readings at its deadline, is retired.
 */
import type { ShadowPolicy } from '../drift/policy.ts';
import type { ShadowStatsRecord } from '../store/rollout-store.ts';
import type { ShadowDeviceRecord, ShadowVerdictRecord } from '../store/shadow-store.ts';

export interface DecideInput {
  policy: ShadowPolicy;
  devices: readonly Pick<ShadowDeviceRecord, 'device' | 'challengerBundle'>[];
  /** Latest ShadowStats per device; stats about another bundle count as none. */
  stats: Readonly<Record<string, ShadowStatsRecord | undefined>>;
  deadlineMs: number;
  nowMs: number;
}

const fmt = (v: number): string => String(+v.toPrecision(4));

export function decideShadow(input: DecideInput): ShadowVerdictRecord {
  const { policy: p, nowMs } = input;
  const own = input.devices.map((d) => {
    const s = input.stats[d.device];
    return { device: d.device, s: s && s.bundleId === d.challengerBundle ? s : null };
  });
  const failed = own.filter((o) => o.s?.phase === 'failed');
  const counts = own.map((o) => o.s?.inferences ?? 0);
  const minInferences = counts.length > 0 ? Math.min(...counts) : 0;
  const total = own.reduce((a, o) => a + (o.s?.inferences ?? 0), 0);
  const errors = own.reduce((a, o) => a + (o.s?.challengerErrors ?? 0), 0);
  const errorRate = total > 0 ? errors / total : null;
  const agreements = own.filter((o) => o.s && o.s.inferences > 0).map((o) => o.s!.agreement);
  const ratios = own.filter((o) => o.s && o.s.championLatencyP99Ms > 0).map((o) => o.s!.challengerLatencyP99Ms / o.s!.championLatencyP99Ms);
  const figures = {
    minInferences,
    minAgreement: agreements.length > 0 ? Math.min(...agreements) : null,
    maxLatencyRatio: ratios.length > 0 ? Math.max(...ratios) : null,
    errorRate,
  };

  if (own.length === 0) return { decision: 'retire', reasons: ['no shadow devices'], figures };
  if (failed.length > 0) {
    return {
      decision: 'retire', figures,
      reasons: failed.map((o) => `challenger failed on ${o.device}: ${o.s!.errorCode ?? 'no code'}${o.s!.errorMessage ? ` (${o.s!.errorMessage})` : ''}`),
    };
  }
  const short = own.filter((o) => (o.s?.inferences ?? 0) < p.minInferences);
  if (short.length > 0) {
    const waiting = short.map((o) => `${o.device} ${o.s?.inferences ?? 0}`).join(', ');
    if (nowMs >= input.deadlineMs) {
      return { decision: 'retire', figures, reasons: [`undecided at the deadline ${new Date(input.deadlineMs).toISOString()}: ${waiting} of ${p.minInferences} inferences`] };
    }
    return { decision: 'undecided', figures, reasons: [`waiting for ${p.minInferences} inferences on every shadow device: ${waiting}`] };
  }

  const reasons: string[] = [];
  let wins = true;
  for (const o of own) {
    const s = o.s!;
    if (s.agreement < p.minAgreement) { wins = false; reasons.push(`${o.device}: agreement ${fmt(s.agreement)} < minAgreement ${p.minAgreement}`); }
    if (s.championLatencyP99Ms > 0) {
      const r = s.challengerLatencyP99Ms / s.championLatencyP99Ms;
      if (r > p.maxLatencyRatio) {
        wins = false;
        reasons.push(`${o.device}: challenger p99 ${fmt(s.challengerLatencyP99Ms)} ms / champion p99 ${fmt(s.championLatencyP99Ms)} ms = ${fmt(r)} > maxLatencyRatio ${p.maxLatencyRatio}`);
      }
    }
  }
  if (errorRate !== null && errorRate > p.maxChallengerErrorRate) {
    wins = false;
    reasons.push(`challenger error rate ${fmt(errorRate)} (${errors} of ${total}) > maxChallengerErrorRate ${p.maxChallengerErrorRate}`);
  }
  if (wins) {
    reasons.push(`every shadow device has ≥ ${p.minInferences} inferences, agreement ≥ ${p.minAgreement} (lowest ${fmt(figures.minAgreement ?? 1)}), `
      + `latency ratio ≤ ${p.maxLatencyRatio}${figures.maxLatencyRatio !== null ? ` (highest ${fmt(figures.maxLatencyRatio)})` : ''}, error rate ≤ ${p.maxChallengerErrorRate}`);
  }
  return { decision: wins ? 'promote' : 'retire', reasons, figures };
}
