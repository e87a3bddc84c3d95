/**
 * Streams are what sequence numbers count in: one per sensor adapter for telemetry (named by
 * the adapter, e.g. "pump"), plus the fixed record streams below. Acks name the stream.
 */
import { isValidId } from '../ids.ts';

/** Streams of non-telemetry records; a sensor stream may not take these names. */
export const RECORD_STREAMS = ['events', 'drift', 'fl'] as const;
export type RecordStream = (typeof RECORD_STREAMS)[number];

export function isRecordStream(s: string): s is RecordStream {
  return (RECORD_STREAMS as readonly string[]).includes(s);
}

export function isValidTelemetryStream(s: string): boolean {
  return isValidId(s) && !isRecordStream(s);
}

/** Any stream an Ack may name. */
export function isKnownStream(s: string): boolean {
  return isValidId(s);
}
