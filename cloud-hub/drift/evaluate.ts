/**
 * Pure: a model's recent drift rows → per group, whether the policy triggers retraining, with
 * the figures that decided it (logged, audited, shown by GET .../drift-status).
 *
 * A report (a device's rows with one seq) is
 * - unjudged when it rests on fewer than policy.drifting.minSamples readings: the agent does not
 *   judge such a window either, so it neither counts nor breaks a run;
 * - drifting when the agent raised its alarm (distribution drift only) and at least minFeatures
 *   watched features crossed PSI or KS, or (drifting.output) the output JS crossed;
 * - clean otherwise.
 * A feature that is stuck or missing past drifting.missingRate never counts: its histogram is the
 * fault's, not the process's (edge-agent/drift/judge.ts mutes it the same way). Out of range
 * alone is a quality problem; with PSI/KS past the threshold it is drift too (a shift past the
 * training range), as the agent reads it.
 */
import type { DriftRow } from '../store/drift-store.ts';
import type { DriftPolicy } from './policy.ts';

/** Agent default outOfRangeRateAlarm: past it a feature's out-of-range share is reported as a quality problem. */
export const OUT_OF_RANGE_QUALITY = 0.05;

export type ReportKind = 'drifting' | 'clean' | 'unjudged';

export interface ReportJudgement {
  device: string;
  seq: number;
  tsMs: number;
  kind: ReportKind;
  /** `psi:<feature>`, `ks:<feature>`, `output-js`. */
  drift: string[];
  /** `stuck:<feature>`, `missing:<feature>`, `out-of-range:<feature>`. */
  quality: string[];
}

export interface GroupVerdict {
  group: string;
  /** Devices of the group with at least one report in the rows. */
  devices: number;
  /** Devices whose newest consecutiveReports judged reports all drift. */
  drifting: string[];
  share: number;
  trigger: boolean;
  /** Why it triggers or not, in words. */
  reasons: string[];
  /** Devices with data-quality problems in their newest report: reported, never a reason to retrain. */
  quality: Array<{ device: string; problems: string[] }>;
}

export interface EvaluateInput {
  rows: readonly DriftRow[];
  /** Each reporting device's group; devices without one are left out. */
  groupOf: (device: string) => string | null;
  policy: DriftPolicy;
  nowMs: number;
  /** The model's cool-down end (hub clock); null: none. */
  cooldownUntilMs: number | null;
}

/** One report's rows (same device and seq) judged. */
export function judgeReport(rows: readonly DriftRow[], policy: DriftPolicy): ReportJudgement {
  const d = policy.drifting;
  const first = rows[0]!;
  const drift: string[] = [];
  const quality: string[] = [];
  let samples = 0;
  let crossed = 0;
  for (const r of rows) {
    samples = Math.max(samples, r.samples);
    if (r.feature === '') continue;
    const missingBad = r.missingRate > d.missingRate;
    if (r.stuck) quality.push(`stuck:${r.feature}`);
    if (missingBad) quality.push(`missing:${r.feature}`);
    if (r.outOfRangeRate > OUT_OF_RANGE_QUALITY) quality.push(`out-of-range:${r.feature}`);
    if (!r.alarm || r.stuck || missingBad || (d.features !== null && !d.features.includes(r.feature))) continue;
    const before = drift.length;
    if (r.psi > d.psi) drift.push(`psi:${r.feature}`);
    if (r.ks > d.ks) drift.push(`ks:${r.feature}`);
    if (drift.length > before) crossed++;
  }
  // The agent mutes output drift while any quality problem is raised; so does the hub.
  const outputDrift = d.output && first.alarm && quality.length === 0 && first.outputJs > d.outputJs;
  if (outputDrift) drift.push('output-js');
  const kind: ReportKind = samples < d.minSamples ? 'unjudged' : crossed >= d.minFeatures || outputDrift ? 'drifting' : 'clean';
  return { device: first.device, seq: first.seq, tsMs: first.tsMs, kind, drift, quality };
}

/** Reports per device, oldest first (by seq: the agent's order, whatever the clocks say). */
export function reportsByDevice(rows: readonly DriftRow[], policy: DriftPolicy): Map<string, ReportJudgement[]> {
  const byKey = new Map<string, DriftRow[]>();
  for (const r of rows) {
    const k = `${r.device}\u0000${r.seq}`;
    const list = byKey.get(k);
    if (list) list.push(r);
    else byKey.set(k, [r]);
  }
  const out = new Map<string, ReportJudgement[]>();
  for (const list of byKey.values()) {
    const j = judgeReport(list, policy);
    const l = out.get(j.device);
    if (l) l.push(j);
    else out.set(j.device, [j]);
  }
  for (const l of out.values()) l.sort((a, b) => a.seq - b.seq);
  return out;
}

/** Whether the newest `n` judged reports all drift. */
export function deviceDrifting(reports: readonly ReportJudgement[], n: number): boolean {
  let seen = 0;
  for (let i = reports.length - 1; i >= 0 && seen < n; i--) {
    const r = reports[i]!;
    if (r.kind === 'unjudged') continue;
    if (r.kind !== 'drifting') return false;
    seen++;
  }
  return seen >= n;
}

/** Per group (sorted by name), the policy's verdict on the rows. */
export function evaluateDrift(input: EvaluateInput): GroupVerdict[] {
  const { policy } = input;
  const groups = new Map<string, Array<{ device: string; reports: ReportJudgement[] }>>();
  for (const [device, reports] of reportsByDevice(input.rows, policy)) {
    const g = input.groupOf(device);
    if (g === null) continue;
    const list = groups.get(g);
    if (list) list.push({ device, reports });
    else groups.set(g, [{ device, reports }]);
  }
  const coolingDown = input.cooldownUntilMs !== null && input.nowMs < input.cooldownUntilMs;
  return [...groups.keys()].sort().map((group): GroupVerdict => {
    const members = groups.get(group)!.sort((a, b) => (a.device < b.device ? -1 : 1));
    const drifting = members.filter((m) => deviceDrifting(m.reports, policy.consecutiveReports)).map((m) => m.device);
    const quality = members
      .map((m) => ({ device: m.device, problems: m.reports[m.reports.length - 1]!.quality }))
      .filter((q) => q.problems.length > 0);
    const share = drifting.length / members.length;
    const reasons: string[] = [`${drifting.length} of ${members.length} devices drifting for ${policy.consecutiveReports} judged reports (share ${share.toFixed(3)}, policy ${policy.groupShare})`];
    let trigger = drifting.length > 0 && share >= policy.groupShare;
    if (trigger && !policy.enabled) { trigger = false; reasons.push('policy disabled'); }
    if (trigger && members.length < policy.minDevices) { trigger = false; reasons.push(`group has ${members.length} reporting devices, fewer than minDevices ${policy.minDevices}`); }
    if (trigger && coolingDown) { trigger = false; reasons.push(`cool-down until ${new Date(input.cooldownUntilMs!).toISOString()}`); }
    return { group, devices: members.length, drifting, share, trigger, reasons, quality };
  });
}
