import * as $protobuf from "protobufjs";
import Long = require("long");

export namespace edgehive {

    namespace v1 {

        interface IDeviceStatus extends edgehive.v1.DeviceStatus.$Properties {
        }

        class DeviceStatus {
            constructor(p?: edgehive.v1.DeviceStatus.$Properties);
            $unknowns?: Uint8Array[];
            online: boolean;
            agentVersion: string;
            profile: string;
            activeBundle: string;
            tsMs: number;
            startedMs: number;
            static create(properties: edgehive.v1.DeviceStatus.$Shape): edgehive.v1.DeviceStatus & edgehive.v1.DeviceStatus.$Shape;
            static create(properties?: edgehive.v1.DeviceStatus.$Properties): edgehive.v1.DeviceStatus;
            static encode(m: edgehive.v1.DeviceStatus.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): edgehive.v1.DeviceStatus & edgehive.v1.DeviceStatus.$Shape;
            static fromObject(d: { [k: string]: any }): edgehive.v1.DeviceStatus;
            static toObject(m: edgehive.v1.DeviceStatus, o?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
            static getTypeUrl(prefix?: string): string;
        }

        namespace DeviceStatus {
            interface $Properties {
                online?: (boolean|null);
                agentVersion?: (string|null);
                profile?: (string|null);
                activeBundle?: (string|null);
                tsMs?: (number|null);
                startedMs?: (number|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = edgehive.v1.DeviceStatus.$Properties;
        }

        interface IReading extends edgehive.v1.Reading.$Properties {
        }

        class Reading {
            constructor(p?: edgehive.v1.Reading.$Properties);
            $unknowns?: Uint8Array[];
            tsMs: number;
            values: number[];
            missing: number[];
            static create(properties: edgehive.v1.Reading.$Shape): edgehive.v1.Reading & edgehive.v1.Reading.$Shape;
            static create(properties?: edgehive.v1.Reading.$Properties): edgehive.v1.Reading;
            static encode(m: edgehive.v1.Reading.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): edgehive.v1.Reading & edgehive.v1.Reading.$Shape;
            static fromObject(d: { [k: string]: any }): edgehive.v1.Reading;
            static toObject(m: edgehive.v1.Reading, o?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
            static getTypeUrl(prefix?: string): string;
        }

        namespace Reading {
            interface $Properties {
                tsMs?: (number|null);
                values?: (number[]|null);
                missing?: (number[]|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = edgehive.v1.Reading.$Properties;
        }

        interface ITelemetryBatch extends edgehive.v1.TelemetryBatch.$Properties {
        }

        class TelemetryBatch {
            constructor(p?: edgehive.v1.TelemetryBatch.$Properties);
            $unknowns?: Uint8Array[];
            stream: string;
            firstSeq: number;
            features: string[];
            readings: edgehive.v1.Reading.$Properties[];
            droppedTotal: number;
            backlog: number;
            static create(properties: edgehive.v1.TelemetryBatch.$Shape): edgehive.v1.TelemetryBatch & edgehive.v1.TelemetryBatch.$Shape;
            static create(properties?: edgehive.v1.TelemetryBatch.$Properties): edgehive.v1.TelemetryBatch;
            static encode(m: edgehive.v1.TelemetryBatch.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): edgehive.v1.TelemetryBatch & edgehive.v1.TelemetryBatch.$Shape;
            static fromObject(d: { [k: string]: any }): edgehive.v1.TelemetryBatch;
            static toObject(m: edgehive.v1.TelemetryBatch, o?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
            static getTypeUrl(prefix?: string): string;
        }

        namespace TelemetryBatch {
            interface $Properties {
                stream?: (string|null);
                firstSeq?: (number|null);
                features?: (string[]|null);
                readings?: (edgehive.v1.Reading.$Properties[]|null);
                droppedTotal?: (number|null);
                backlog?: (number|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = edgehive.v1.TelemetryBatch.$Properties;
        }

        interface IInferenceEvent extends edgehive.v1.InferenceEvent.$Properties {
        }

        class InferenceEvent {
            constructor(p?: edgehive.v1.InferenceEvent.$Properties);
            $unknowns?: Uint8Array[];
            tsMs: number;
            model: string;
            modelVersion: string;
            score: number;
            anomaly: boolean;
            label: string;
            latencyMs: number;
            static create(properties: edgehive.v1.InferenceEvent.$Shape): edgehive.v1.InferenceEvent & edgehive.v1.InferenceEvent.$Shape;
            static create(properties?: edgehive.v1.InferenceEvent.$Properties): edgehive.v1.InferenceEvent;
            static encode(m: edgehive.v1.InferenceEvent.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): edgehive.v1.InferenceEvent & edgehive.v1.InferenceEvent.$Shape;
            static fromObject(d: { [k: string]: any }): edgehive.v1.InferenceEvent;
            static toObject(m: edgehive.v1.InferenceEvent, o?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
            static getTypeUrl(prefix?: string): string;
        }

        namespace InferenceEvent {
            interface $Properties {
                tsMs?: (number|null);
                model?: (string|null);
                modelVersion?: (string|null);
                score?: (number|null);
                anomaly?: (boolean|null);
                label?: (string|null);
                latencyMs?: (number|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = edgehive.v1.InferenceEvent.$Properties;
        }

        interface IInferenceEvents extends edgehive.v1.InferenceEvents.$Properties {
        }

        class InferenceEvents {
            constructor(p?: edgehive.v1.InferenceEvents.$Properties);
            $unknowns?: Uint8Array[];
            seq: number;
            events: edgehive.v1.InferenceEvent.$Properties[];
            static create(properties: edgehive.v1.InferenceEvents.$Shape): edgehive.v1.InferenceEvents & edgehive.v1.InferenceEvents.$Shape;
            static create(properties?: edgehive.v1.InferenceEvents.$Properties): edgehive.v1.InferenceEvents;
            static encode(m: edgehive.v1.InferenceEvents.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): edgehive.v1.InferenceEvents & edgehive.v1.InferenceEvents.$Shape;
            static fromObject(d: { [k: string]: any }): edgehive.v1.InferenceEvents;
            static toObject(m: edgehive.v1.InferenceEvents, o?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
            static getTypeUrl(prefix?: string): string;
        }

        namespace InferenceEvents {
            interface $Properties {
                seq?: (number|null);
                events?: (edgehive.v1.InferenceEvent.$Properties[]|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = edgehive.v1.InferenceEvents.$Properties;
        }

        interface IFeatureDrift extends edgehive.v1.FeatureDrift.$Properties {
        }

        class FeatureDrift {
            constructor(p?: edgehive.v1.FeatureDrift.$Properties);
            $unknowns?: Uint8Array[];
            feature: string;
            psi: number;
            ks: number;
            missingRate: number;
            outOfRangeRate: number;
            stuck: boolean;
            samples: number;
            static create(properties: edgehive.v1.FeatureDrift.$Shape): edgehive.v1.FeatureDrift & edgehive.v1.FeatureDrift.$Shape;
            static create(properties?: edgehive.v1.FeatureDrift.$Properties): edgehive.v1.FeatureDrift;
            static encode(m: edgehive.v1.FeatureDrift.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): edgehive.v1.FeatureDrift & edgehive.v1.FeatureDrift.$Shape;
            static fromObject(d: { [k: string]: any }): edgehive.v1.FeatureDrift;
            static toObject(m: edgehive.v1.FeatureDrift, o?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
            static getTypeUrl(prefix?: string): string;
        }

        namespace FeatureDrift {
            interface $Properties {
                feature?: (string|null);
                psi?: (number|null);
                ks?: (number|null);
                missingRate?: (number|null);
                outOfRangeRate?: (number|null);
                stuck?: (boolean|null);
                samples?: (number|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = edgehive.v1.FeatureDrift.$Properties;
        }

        interface IDriftReport extends edgehive.v1.DriftReport.$Properties {
        }

        class DriftReport {
            constructor(p?: edgehive.v1.DriftReport.$Properties);
            $unknowns?: Uint8Array[];
            seq: number;
            tsMs: number;
            model: string;
            modelVersion: string;
            features: edgehive.v1.FeatureDrift.$Properties[];
            outputJs: number;
            samples: number;
            alarm: boolean;
            static create(properties: edgehive.v1.DriftReport.$Shape): edgehive.v1.DriftReport & edgehive.v1.DriftReport.$Shape;
            static create(properties?: edgehive.v1.DriftReport.$Properties): edgehive.v1.DriftReport;
            static encode(m: edgehive.v1.DriftReport.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): edgehive.v1.DriftReport & edgehive.v1.DriftReport.$Shape;
            static fromObject(d: { [k: string]: any }): edgehive.v1.DriftReport;
            static toObject(m: edgehive.v1.DriftReport, o?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
            static getTypeUrl(prefix?: string): string;
        }

        namespace DriftReport {
            interface $Properties {
                seq?: (number|null);
                tsMs?: (number|null);
                model?: (string|null);
                modelVersion?: (string|null);
                features?: (edgehive.v1.FeatureDrift.$Properties[]|null);
                outputJs?: (number|null);
                samples?: (number|null);
                alarm?: (boolean|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = edgehive.v1.DriftReport.$Properties;
        }

        interface IBundleSlot extends edgehive.v1.BundleSlot.$Properties {
        }

        class BundleSlot {
            constructor(p?: edgehive.v1.BundleSlot.$Properties);
            $unknowns?: Uint8Array[];
            bundleId: string;
            model: string;
            version: number;
            healthy: boolean;
            static create(properties: edgehive.v1.BundleSlot.$Shape): edgehive.v1.BundleSlot & edgehive.v1.BundleSlot.$Shape;
            static create(properties?: edgehive.v1.BundleSlot.$Properties): edgehive.v1.BundleSlot;
            static encode(m: edgehive.v1.BundleSlot.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): edgehive.v1.BundleSlot & edgehive.v1.BundleSlot.$Shape;
            static fromObject(d: { [k: string]: any }): edgehive.v1.BundleSlot;
            static toObject(m: edgehive.v1.BundleSlot, o?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
            static getTypeUrl(prefix?: string): string;
        }

        namespace BundleSlot {
            interface $Properties {
                bundleId?: (string|null);
                model?: (string|null);
                version?: (number|null);
                healthy?: (boolean|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = edgehive.v1.BundleSlot.$Properties;
        }

        interface IReportedState extends edgehive.v1.ReportedState.$Properties {
        }

        class ReportedState {
            constructor(p?: edgehive.v1.ReportedState.$Properties);
            $unknowns?: Uint8Array[];
            tsMs: number;
            active?: (edgehive.v1.BundleSlot.$Properties|null);
            inactive?: (edgehive.v1.BundleSlot.$Properties|null);
            installingBundle: string;
            chunksHave: number;
            chunksTotal: number;
            errorCode: string;
            errorMessage: string;
            desiredBundle: string;
            phase: string;
            failedBundle: string;
            profile: string;
            agentVersion: string;
            inferences: number;
            inferenceErrors: number;
            latencyP99Ms: number;
            activatedMs: number;
            shadow?: (edgehive.v1.ShadowStats.$Properties|null);
            static create(properties: edgehive.v1.ReportedState.$Shape): edgehive.v1.ReportedState & edgehive.v1.ReportedState.$Shape;
            static create(properties?: edgehive.v1.ReportedState.$Properties): edgehive.v1.ReportedState;
            static encode(m: edgehive.v1.ReportedState.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): edgehive.v1.ReportedState & edgehive.v1.ReportedState.$Shape;
            static fromObject(d: { [k: string]: any }): edgehive.v1.ReportedState;
            static toObject(m: edgehive.v1.ReportedState, o?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
            static getTypeUrl(prefix?: string): string;
        }

        namespace ReportedState {
            interface $Properties {
                tsMs?: (number|null);
                active?: (edgehive.v1.BundleSlot.$Properties|null);
                inactive?: (edgehive.v1.BundleSlot.$Properties|null);
                installingBundle?: (string|null);
                chunksHave?: (number|null);
                chunksTotal?: (number|null);
                errorCode?: (string|null);
                errorMessage?: (string|null);
                desiredBundle?: (string|null);
                phase?: (string|null);
                failedBundle?: (string|null);
                profile?: (string|null);
                agentVersion?: (string|null);
                inferences?: (number|null);
                inferenceErrors?: (number|null);
                latencyP99Ms?: (number|null);
                activatedMs?: (number|null);
                shadow?: (edgehive.v1.ShadowStats.$Properties|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = edgehive.v1.ReportedState.$Properties;
        }

        interface IShadowStats extends edgehive.v1.ShadowStats.$Properties {
        }

        class ShadowStats {
            constructor(p?: edgehive.v1.ShadowStats.$Properties);
            $unknowns?: Uint8Array[];
            bundleId: string;
            phase: string;
            inferences: number;
            agreement: number;
            championMeanScore: number;
            challengerMeanScore: number;
            scoreJs: number;
            championLatencyP99Ms: number;
            challengerLatencyP99Ms: number;
            challengerErrors: number;
            errorCode: string;
            errorMessage: string;
            championDetections: number;
            challengerDetections: number;
            static create(properties: edgehive.v1.ShadowStats.$Shape): edgehive.v1.ShadowStats & edgehive.v1.ShadowStats.$Shape;
            static create(properties?: edgehive.v1.ShadowStats.$Properties): edgehive.v1.ShadowStats;
            static encode(m: edgehive.v1.ShadowStats.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): edgehive.v1.ShadowStats & edgehive.v1.ShadowStats.$Shape;
            static fromObject(d: { [k: string]: any }): edgehive.v1.ShadowStats;
            static toObject(m: edgehive.v1.ShadowStats, o?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
            static getTypeUrl(prefix?: string): string;
        }

        namespace ShadowStats {
            interface $Properties {
                bundleId?: (string|null);
                phase?: (string|null);
                inferences?: (number|null);
                agreement?: (number|null);
                championMeanScore?: (number|null);
                challengerMeanScore?: (number|null);
                scoreJs?: (number|null);
                championLatencyP99Ms?: (number|null);
                challengerLatencyP99Ms?: (number|null);
                challengerErrors?: (number|null);
                errorCode?: (string|null);
                errorMessage?: (string|null);
                championDetections?: (number|null);
                challengerDetections?: (number|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = edgehive.v1.ShadowStats.$Properties;
        }

        interface IFederatedUpdate extends edgehive.v1.FederatedUpdate.$Properties {
        }

        class FederatedUpdate {
            constructor(p?: edgehive.v1.FederatedUpdate.$Properties);
            $unknowns?: Uint8Array[];
            seq: number;
            roundId: string;
            samples: number;
            maskedDelta: Uint8Array;
            loss: number;
            publicKey: Uint8Array;
            static create(properties: edgehive.v1.FederatedUpdate.$Shape): edgehive.v1.FederatedUpdate & edgehive.v1.FederatedUpdate.$Shape;
            static create(properties?: edgehive.v1.FederatedUpdate.$Properties): edgehive.v1.FederatedUpdate;
            static encode(m: edgehive.v1.FederatedUpdate.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): edgehive.v1.FederatedUpdate & edgehive.v1.FederatedUpdate.$Shape;
            static fromObject(d: { [k: string]: any }): edgehive.v1.FederatedUpdate;
            static toObject(m: edgehive.v1.FederatedUpdate, o?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
            static getTypeUrl(prefix?: string): string;
        }

        namespace FederatedUpdate {
            interface $Properties {
                seq?: (number|null);
                roundId?: (string|null);
                samples?: (number|null);
                maskedDelta?: (Uint8Array|null);
                loss?: (number|null);
                publicKey?: (Uint8Array|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = edgehive.v1.FederatedUpdate.$Properties;
        }

        interface IDesiredState extends edgehive.v1.DesiredState.$Properties {
        }

        class DesiredState {
            constructor(p?: edgehive.v1.DesiredState.$Properties);
            $unknowns?: Uint8Array[];
            tsMs: number;
            bundleId: string;
            bundleChunks: number;
            bundleBytes: number;
            bundleSha256: string;
            configJson: string;
            model: string;
            bundleVersion: number;
            deploymentId: string;
            shadowBundleId: string;
            shadowBundleChunks: number;
            shadowBundleBytes: number;
            shadowBundleSha256: string;
            static create(properties: edgehive.v1.DesiredState.$Shape): edgehive.v1.DesiredState & edgehive.v1.DesiredState.$Shape;
            static create(properties?: edgehive.v1.DesiredState.$Properties): edgehive.v1.DesiredState;
            static encode(m: edgehive.v1.DesiredState.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): edgehive.v1.DesiredState & edgehive.v1.DesiredState.$Shape;
            static fromObject(d: { [k: string]: any }): edgehive.v1.DesiredState;
            static toObject(m: edgehive.v1.DesiredState, o?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
            static getTypeUrl(prefix?: string): string;
        }

        namespace DesiredState {
            interface $Properties {
                tsMs?: (number|null);
                bundleId?: (string|null);
                bundleChunks?: (number|null);
                bundleBytes?: (number|null);
                bundleSha256?: (string|null);
                configJson?: (string|null);
                model?: (string|null);
                bundleVersion?: (number|null);
                deploymentId?: (string|null);
                shadowBundleId?: (string|null);
                shadowBundleChunks?: (number|null);
                shadowBundleBytes?: (number|null);
                shadowBundleSha256?: (string|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = edgehive.v1.DesiredState.$Properties;
        }

        interface IAck extends edgehive.v1.Ack.$Properties {
        }

        class Ack {
            constructor(p?: edgehive.v1.Ack.$Properties);
            $unknowns?: Uint8Array[];
            stream: string;
            seqFrom: number;
            seqTo: number;
            static create(properties: edgehive.v1.Ack.$Shape): edgehive.v1.Ack & edgehive.v1.Ack.$Shape;
            static create(properties?: edgehive.v1.Ack.$Properties): edgehive.v1.Ack;
            static encode(m: edgehive.v1.Ack.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): edgehive.v1.Ack & edgehive.v1.Ack.$Shape;
            static fromObject(d: { [k: string]: any }): edgehive.v1.Ack;
            static toObject(m: edgehive.v1.Ack, o?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
            static getTypeUrl(prefix?: string): string;
        }

        namespace Ack {
            interface $Properties {
                stream?: (string|null);
                seqFrom?: (number|null);
                seqTo?: (number|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = edgehive.v1.Ack.$Properties;
        }

        interface IBundleChunk extends edgehive.v1.BundleChunk.$Properties {
        }

        class BundleChunk {
            constructor(p?: edgehive.v1.BundleChunk.$Properties);
            $unknowns?: Uint8Array[];
            bundleId: string;
            index: number;
            total: number;
            data: Uint8Array;
            sha256: Uint8Array;
            static create(properties: edgehive.v1.BundleChunk.$Shape): edgehive.v1.BundleChunk & edgehive.v1.BundleChunk.$Shape;
            static create(properties?: edgehive.v1.BundleChunk.$Properties): edgehive.v1.BundleChunk;
            static encode(m: edgehive.v1.BundleChunk.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): edgehive.v1.BundleChunk & edgehive.v1.BundleChunk.$Shape;
            static fromObject(d: { [k: string]: any }): edgehive.v1.BundleChunk;
            static toObject(m: edgehive.v1.BundleChunk, o?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
            static getTypeUrl(prefix?: string): string;
        }

        namespace BundleChunk {
            interface $Properties {
                bundleId?: (string|null);
                index?: (number|null);
                total?: (number|null);
                data?: (Uint8Array|null);
                sha256?: (Uint8Array|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = edgehive.v1.BundleChunk.$Properties;
        }

        interface IRoundAnnouncement extends edgehive.v1.RoundAnnouncement.$Properties {
        }

        class RoundAnnouncement {
            constructor(p?: edgehive.v1.RoundAnnouncement.$Properties);
            $unknowns?: Uint8Array[];
            roundId: string;
            model: string;
            weightsBundleId: string;
            localEpochs: number;
            learningRate: number;
            clipNorm: number;
            noiseMultiplier: number;
            minClients: number;
            deadlineMs: number;
            selectedDevices: string[];
            static create(properties: edgehive.v1.RoundAnnouncement.$Shape): edgehive.v1.RoundAnnouncement & edgehive.v1.RoundAnnouncement.$Shape;
            static create(properties?: edgehive.v1.RoundAnnouncement.$Properties): edgehive.v1.RoundAnnouncement;
            static encode(m: edgehive.v1.RoundAnnouncement.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): edgehive.v1.RoundAnnouncement & edgehive.v1.RoundAnnouncement.$Shape;
            static fromObject(d: { [k: string]: any }): edgehive.v1.RoundAnnouncement;
            static toObject(m: edgehive.v1.RoundAnnouncement, o?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
            static getTypeUrl(prefix?: string): string;
        }

        namespace RoundAnnouncement {
            interface $Properties {
                roundId?: (string|null);
                model?: (string|null);
                weightsBundleId?: (string|null);
                localEpochs?: (number|null);
                learningRate?: (number|null);
                clipNorm?: (number|null);
                noiseMultiplier?: (number|null);
                minClients?: (number|null);
                deadlineMs?: (number|null);
                selectedDevices?: (string[]|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = edgehive.v1.RoundAnnouncement.$Properties;
        }
    }
}
