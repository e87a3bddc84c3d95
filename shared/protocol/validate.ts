/**
 * Semantic checks on decoded (or about-to-be-encoded) messages. Each failure is an
 * EdgehiveError whose code is the reject reason the hub counts.
 */
import { EdgehiveError } from '../errors/index.ts';
import { isValidId } from '../ids.ts';
import { Limits } from './limits.ts';
import type { Decoded, Encodable, WireKind } from './messages.ts';
import { isKnownStream, isValidTelemetryStream } from './streams.ts';

type Check<K extends WireKind> = (m: Encodable[K]) => void;

function invalid(kind: string, why: string): never {
  throw new EdgehiveError('EH_PAYLOAD_INVALID', `${kind}: ${why}`);
}

function finite(kind: string, field: string, v: number | null | undefined): void {
  if (v !== undefined && v !== null && !Number.isFinite(v)) {
    throw new EdgehiveError('EH_VALUE_NOT_FINITE', `${kind}: ${field} is ${v}; send missing values as missing, never NaN or Infinity`, { field });
  }
}

function id(kind: string, field: string, v: string | null | undefined, required: boolean): void {
  if (!v) {
    if (required) invalid(kind, `${field} is required`);
    return;
  }
  if (!isValidId(v)) throw new EdgehiveError('EH_ID_INVALID', `${kind}: ${field} ${JSON.stringify(String(v).slice(0, 80))} must match [A-Za-z0-9_-]{1,64}`, { field });
}

function seq(kind: string, field: string, v: number | null | undefined, min = 1): void {
  const n = v ?? 0;
  if (!Number.isInteger(n) || n < min || n > Limits.maxSeq) {
    throw new EdgehiveError('EH_SEQ_OUT_OF_RANGE', `${kind}: ${field} ${n} is outside ${min}..${Limits.maxSeq}`, { field, value: n });
  }
}

function ts(kind: string, field: string, v: number | null | undefined, required: boolean): void {
  finite(kind, field, v);
  if (!v) {
    if (required) invalid(kind, `${field} is required`);
    return;
  }
  if (v < Limits.minTsMs || v > Limits.maxTsMs) invalid(kind, `${field} ${v} is not a plausible epoch-millisecond time`);
}

const telemetry: Check<'telemetry'> = (m) => {
  const k = 'TelemetryBatch';
  if (!m.stream) invalid(k, 'stream is required');
  if (!isValidTelemetryStream(m.stream)) throw new EdgehiveError('EH_STREAM_UNKNOWN', `${k}: stream ${JSON.stringify(m.stream.slice(0, 80))} is not a valid telemetry stream name`);
  const readings = m.readings ?? [];
  const features = m.features ?? [];
  if (readings.length === 0) invalid(k, 'has no readings');
  if (readings.length > Limits.maxReadingsPerBatch) invalid(k, `${readings.length} readings exceed the limit of ${Limits.maxReadingsPerBatch}`);
  if (features.length === 0 || features.length > Limits.maxFeatures) invalid(k, `needs 1..${Limits.maxFeatures} features, has ${features.length}`);
  features.forEach((f, i) => id(k, `features[${i}]`, f, true));
  // Compared as first_seq against (max - count) so the check itself never rounds past 2^53.
  seq(k, 'first_seq', m.firstSeq);
  if ((m.firstSeq ?? 0) > Limits.maxSeq - (readings.length - 1)) {
    throw new EdgehiveError('EH_SEQ_OUT_OF_RANGE', `${k}: first_seq ${m.firstSeq} + ${readings.length} readings passes ${Limits.maxSeq}`);
  }
  seq(k, 'dropped_total', m.droppedTotal, 0);
  seq(k, 'backlog', m.backlog, 0);
  for (let r = 0; r < readings.length; r++) {
    const reading = readings[r]!;
    ts(k, `readings[${r}].ts_ms`, reading.tsMs, true);
    const values = reading.values ?? [];
    if (values.length !== features.length) invalid(k, `readings[${r}] has ${values.length} values for ${features.length} features`);
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) finite(k, `readings[${r}].values[${i}]`, values[i]);
    }
    for (const miss of reading.missing ?? []) {
      if (miss >= features.length) invalid(k, `readings[${r}].missing index ${miss} is past the last feature`);
    }
  }
};

const status: Check<'status'> = (m) => {
  ts('DeviceStatus', 'ts_ms', m.tsMs, false);
  finite('DeviceStatus', 'started_ms', m.startedMs);
  if (m.profile) id('DeviceStatus', 'profile', m.profile, false);
  if ((m.agentVersion ?? '').length > 64) invalid('DeviceStatus', 'agent_version is longer than 64 characters');
};

const events: Check<'events'> = (m) => {
  seq('InferenceEvents', 'seq', m.seq);
  const list = m.events ?? [];
  if (list.length > Limits.maxEventsPerMessage) invalid('InferenceEvents', `${list.length} events exceed ${Limits.maxEventsPerMessage}`);
  list.forEach((e, i) => {
    ts('InferenceEvents', `events[${i}].ts_ms`, e.tsMs, true);
    finite('InferenceEvents', `events[${i}].score`, e.score);
    finite('InferenceEvents', `events[${i}].latency_ms`, e.latencyMs);
  });
};

const drift: Check<'drift'> = (m) => {
  seq('DriftReport', 'seq', m.seq);
  ts('DriftReport', 'ts_ms', m.tsMs, true);
  finite('DriftReport', 'output_js', m.outputJs);
  (m.features ?? []).forEach((f, i) => {
    id('DriftReport', `features[${i}].feature`, f.feature, true);
    for (const key of ['psi', 'ks', 'missingRate', 'outOfRangeRate'] as const) finite('DriftReport', `features[${i}].${key}`, f[key]);
  });
};

const reported: Check<'reported'> = (m) => {
  ts('ReportedState', 'ts_ms', m.tsMs, false);
  for (const slot of [m.active, m.inactive]) if (slot?.bundleId) id('ReportedState', 'bundle_id', slot.bundleId, false);
};

const fl: Check<'fl'> = (m) => {
  seq('FederatedUpdate', 'seq', m.seq);
  id('FederatedUpdate', 'round_id', m.roundId, true);
  finite('FederatedUpdate', 'loss', m.loss);
};

const desired: Check<'desired'> = (m) => {
  ts('DesiredState', 'ts_ms', m.tsMs, false);
  if (m.bundleId) id('DesiredState', 'bundle_id', m.bundleId, false);
  if ((m.bundleChunks ?? 0) > Limits.maxChunks) invalid('DesiredState', `bundle_chunks ${m.bundleChunks} exceeds ${Limits.maxChunks}`);
};

const ack: Check<'ack'> = (m) => {
  if (!m.stream || !isKnownStream(m.stream)) throw new EdgehiveError('EH_STREAM_UNKNOWN', `Ack: stream ${JSON.stringify(m.stream ?? '')} is not a known stream`);
  seq('Ack', 'seq_from', m.seqFrom);
  seq('Ack', 'seq_to', m.seqTo);
  if ((m.seqTo ?? 0) < (m.seqFrom ?? 0)) throw new EdgehiveError('EH_SEQ_OUT_OF_RANGE', `Ack: seq_to ${m.seqTo} is below seq_from ${m.seqFrom}`);
};

const bundleChunk: Check<'bundle-chunk'> = (m) => {
  id('BundleChunk', 'bundle_id', m.bundleId, true);
  const total = m.total ?? 0;
  if (total < 1 || total > Limits.maxChunks) invalid('BundleChunk', `total ${total} is outside 1..${Limits.maxChunks}`);
  if ((m.index ?? 0) >= total) invalid('BundleChunk', `index ${m.index} is not below total ${total}`);
  if ((m.data?.length ?? 0) > Limits.maxChunkBytes) invalid('BundleChunk', `data of ${m.data?.length} bytes exceeds ${Limits.maxChunkBytes}`);
  if ((m.sha256?.length ?? 0) !== 32) invalid('BundleChunk', 'sha256 must be 32 bytes');
};

const flRound: Check<'fl-round'> = (m) => {
  id('RoundAnnouncement', 'round_id', m.roundId, true);
  for (const key of ['learningRate', 'clipNorm', 'noiseMultiplier', 'deadlineMs'] as const) finite('RoundAnnouncement', key, m[key]);
  (m.selectedDevices ?? []).forEach((d, i) => id('RoundAnnouncement', `selected_devices[${i}]`, d, true));
};

export const validators: { [K in WireKind]: Check<K> } = {
  status, telemetry, events, drift, reported, fl, desired, ack, 'bundle-chunk': bundleChunk, 'fl-round': flRound,
};

export function validateMessage<K extends WireKind>(kind: K, m: Encodable[K] | Decoded[K]): void {
  (validators[kind] as Check<K>)(m as Encodable[K]);
}
