/**
 * A decoded ReportedState (d/{device}/reported) as the store keeps it: protobuf's defaults
 * (empty string, 0, absent slot) become null where "not reported" and "zero" differ.
 */
import type { ReportedState } from '../../shared/protocol/messages.ts';
import type { ReportedRecord, ShadowStatsRecord } from '../store/rollout-store.ts';

const orNull = (s: string | null | undefined): string | null => (s ? s : null);

export function toReportedRecord(device: string, m: ReportedState, receivedMs: number): ReportedRecord {
  const active = m.active ?? null;
  return {
    device,
    tsMs: Number(m.tsMs ?? 0),
    receivedMs,
    phase: m.phase || 'idle',
    activeBundle: orNull(active?.bundleId),
    activeModel: orNull(active?.model),
    // Version 0 is protobuf's "unset": no real bundle has it (manifest versions start at 1).
    activeVersion: active?.bundleId && Number(active.version) > 0 ? Number(active.version) : null,
    healthy: Boolean(active?.healthy),
    inactiveBundle: orNull(m.inactive?.bundleId),
    desiredBundle: orNull(m.desiredBundle),
    installingBundle: orNull(m.installingBundle),
    chunksHave: Number(m.chunksHave ?? 0),
    chunksTotal: Number(m.chunksTotal ?? 0),
    failedBundle: orNull(m.failedBundle),
    errorCode: orNull(m.errorCode),
    errorMessage: orNull(m.errorMessage),
    profile: orNull(m.profile),
    agentVersion: orNull(m.agentVersion),
    inferences: Number(m.inferences ?? 0),
    inferenceErrors: Number(m.inferenceErrors ?? 0),
    latencyP99Ms: Number(m.latencyP99Ms ?? 0),
    activatedMs: m.activatedMs ? Number(m.activatedMs) : null,
    shadow: shadowOf(m.shadow),
  };
}

/** A shadow slot without a bundle id is protobuf's empty message: no shadow. */
function shadowOf(s: ReportedState['shadow']): ShadowStatsRecord | null {
  if (!s?.bundleId) return null;
  return {
    bundleId: s.bundleId,
    phase: s.phase || 'running',
    inferences: Number(s.inferences ?? 0),
    agreement: Number(s.agreement ?? 0),
    championMeanScore: Number(s.championMeanScore ?? 0),
    challengerMeanScore: Number(s.challengerMeanScore ?? 0),
    scoreJs: Number(s.scoreJs ?? 0),
    championLatencyP99Ms: Number(s.championLatencyP99Ms ?? 0),
    challengerLatencyP99Ms: Number(s.challengerLatencyP99Ms ?? 0),
    challengerErrors: Number(s.challengerErrors ?? 0),
    errorCode: orNull(s.errorCode),
    errorMessage: orNull(s.errorMessage),
    championDetections: Number(s.championDetections ?? 0),
    challengerDetections: Number(s.challengerDetections ?? 0),
  };
}
