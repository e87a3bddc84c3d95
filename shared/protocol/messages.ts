/**
 * Typed handles on the generated protobuf classes: one message type per wire kind. The .proto
 * file is the source of truth; these aliases only give the generated types short names.
 */
import '../proto/protobuf-runtime.ts';
import { edgehive } from '../proto/generated/edgehive.js';

const v1 = edgehive.v1;
export const Messages = {
  status: v1.DeviceStatus,
  telemetry: v1.TelemetryBatch,
  events: v1.InferenceEvents,
  drift: v1.DriftReport,
  reported: v1.ReportedState,
  fl: v1.FederatedUpdate,
  desired: v1.DesiredState,
  ack: v1.Ack,
  'bundle-chunk': v1.BundleChunk,
  'fl-round': v1.RoundAnnouncement,
} as const;

export type WireKind = keyof typeof Messages;

export type DeviceStatus = edgehive.v1.DeviceStatus;
export type Reading = edgehive.v1.Reading;
export type TelemetryBatch = edgehive.v1.TelemetryBatch;
export type InferenceEvents = edgehive.v1.InferenceEvents;
export type DriftReport = edgehive.v1.DriftReport;
export type ReportedState = edgehive.v1.ReportedState;
/** ReportedState.shadow: every field of the generated message, without protobufjs's methods. */
export type ShadowStatsFields = Omit<edgehive.v1.ShadowStats, '$unknowns' | 'toJSON'>;
export type FederatedUpdate = edgehive.v1.FederatedUpdate;
export type DesiredState = edgehive.v1.DesiredState;
export type Ack = edgehive.v1.Ack;
export type BundleChunk = edgehive.v1.BundleChunk;
export type RoundAnnouncement = edgehive.v1.RoundAnnouncement;

/** What a decoder returns for each kind. */
export interface Decoded {
  status: DeviceStatus;
  telemetry: TelemetryBatch;
  events: InferenceEvents;
  drift: DriftReport;
  reported: ReportedState;
  fl: FederatedUpdate;
  desired: DesiredState;
  ack: Ack;
  'bundle-chunk': BundleChunk;
  'fl-round': RoundAnnouncement;
}

/** What an encoder accepts for each kind (all fields optional, as protobuf allows). */
export interface Encodable {
  status: edgehive.v1.DeviceStatus.$Properties;
  telemetry: edgehive.v1.TelemetryBatch.$Properties;
  events: edgehive.v1.InferenceEvents.$Properties;
  drift: edgehive.v1.DriftReport.$Properties;
  reported: edgehive.v1.ReportedState.$Properties;
  fl: edgehive.v1.FederatedUpdate.$Properties;
  desired: edgehive.v1.DesiredState.$Properties;
  ack: edgehive.v1.Ack.$Properties;
  'bundle-chunk': edgehive.v1.BundleChunk.$Properties;
  'fl-round': edgehive.v1.RoundAnnouncement.$Properties;
}
