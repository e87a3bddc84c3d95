/**
 * The hub's counters. Plain numbers bumped on the hot path; /metrics and HubHandle.metrics()
 * read them. Reject reasons are the short names from shared/protocol/codec.ts rejectReason().
 */
import type { HubMetricsSnapshot } from '../hub-api.ts';
import { LagTracker } from './lag-tracker.ts';

export class HubMetrics {
  readonly messagesIn = new Map<string, number>();
  readonly rejects = new Map<string, number>();
  /** Non-telemetry records (events, drift, fl) received and acknowledged, by kind. */
  readonly recordsAcked = new Map<string, number>();
  readingsStored = 0;
  duplicates = 0;
  storeFailures = 0;
  readonly lag = new LagTracker();
  /** Latest cumulative drop counter each (device, stream) reported. */
  readonly #dropped = new Map<string, number>();
  #droppedSum = 0;
  /** Set by the hub: how many devices are online now. */
  devicesOnline: () => number = () => 0;

  messageIn(kind: string): void {
    this.messagesIn.set(kind, (this.messagesIn.get(kind) ?? 0) + 1);
  }

  reject(reason: string): void {
    this.rejects.set(reason, (this.rejects.get(reason) ?? 0) + 1);
  }

  recordAcked(kind: string): void {
    this.recordsAcked.set(kind, (this.recordsAcked.get(kind) ?? 0) + 1);
  }

  deviceDropped(device: string, stream: string, droppedTotal: number): void {
    const key = `${device}\u0000${stream}`;
    const before = this.#dropped.get(key) ?? 0;
    if (droppedTotal > before) {
      this.#dropped.set(key, droppedTotal);
      this.#droppedSum += droppedTotal - before;
    }
  }

  /** Sum of the devices' cumulative drop counters, over streams heard from since the hub started. */
  get deviceDroppedReadings(): number {
    return this.#droppedSum;
  }

  snapshot(): HubMetricsSnapshot {
    return {
      messagesIn: Object.fromEntries(this.messagesIn),
      readingsStored: this.readingsStored,
      duplicates: this.duplicates,
      rejects: Object.fromEntries(this.rejects),
      devicesOnline: this.devicesOnline(),
      ingestLagMs: { p50: this.lag.quantile(0.5), p99: this.lag.quantile(0.99) },
    };
  }
}
