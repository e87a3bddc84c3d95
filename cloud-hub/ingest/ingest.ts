/**
 * The hub's ingest: every device uplink of the fleet comes through `handle`, is decoded and
 * checked once, and goes to its handler: telemetry to the batcher (stored, then acked), status
 * to the device state, drift reports to their batcher (drift-batcher.ts: stored, then acked by
 * seq), events/fl acked by their seq (their storage arrives with later issues; they are counted),
 * reported state to the coalescing writer (reported-states.ts), which stores it and tells the
 * rollout manager. Anything wrong is counted under its reject
 * reason and logged (rate-limited); nothing here throws at the transport.
 */
import { performance } from 'node:perf_hooks';
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { Logger } from '../../shared/log/logger.ts';
import { decode, encode, rejectReason } from '../../shared/protocol/codec.ts';
import type { Decoded } from '../../shared/protocol/messages.ts';
import { DEVICE_UPLINK_KINDS, parseTopic, topicsFor, type DeviceUplinkKind, type FleetTopics } from '../../shared/protocol/topics.ts';
import type { Clock } from '../../shared/time/clock.ts';
import type { CachedDevice, DeviceCache } from '../devices/device-cache.ts';
import type { RejectLog } from '../log/reject-log.ts';
import type { HubMetrics } from '../metrics/hub-metrics.ts';
import type { DriftRow } from '../store/drift-store.ts';
import type { Store } from '../store/types.ts';
import { DriftBatcher } from './drift-batcher.ts';
import { toDriftRows } from './drift-rows.ts';
import { toReportedRecord } from './reported-record.ts';
import type { ReportedStates } from './reported-states.ts';
import { SeqTracker } from './seq-tracker.ts';
import { StatusHandler } from './status-handler.ts';
import { TelemetryBatcher, type BatcherOptions } from './telemetry-batcher.ts';
import { toTelemetryWrite } from './telemetry-rows.ts';
import type { IngestTransport, UplinkMessage } from './transport.ts';

export interface IngestOptions extends BatcherOptions {
  fleet: string;
  maxSeqJump: number;
}

export interface IngestDeps {
  store: Store;
  devices: DeviceCache;
  transport: IngestTransport;
  metrics: HubMetrics;
  rejects: RejectLog;
  clock: Clock;
  logger: Logger;
  /** Where decoded reported states go; without it they are only decoded and counted. */
  reported?: ReportedStates;
  /** Told of drift rows once they are stored (the drift policy manager). */
  onDriftCommitted?(rows: readonly DriftRow[]): void;
}

type RecordKind = 'events' | 'fl';
const UPLINK: ReadonlySet<string> = new Set(DEVICE_UPLINK_KINDS);
/** Retained topics: an empty payload clears the retained message and is not a record. */
const RETAINED: ReadonlySet<string> = new Set(['status', 'reported']);

export class Ingest {
  readonly #topics: FleetTopics;
  readonly #seqs: SeqTracker;
  readonly #batcher: TelemetryBatcher;
  readonly #status: StatusHandler;
  readonly #drift: DriftBatcher;
  #closing = false;

  constructor(private readonly opts: IngestOptions, private readonly deps: IngestDeps) {
    this.#topics = topicsFor(opts.fleet);
    this.#seqs = new SeqTracker(deps.store);
    this.#status = new StatusHandler(deps.store, deps.devices, deps.clock, deps.logger);
    this.#batcher = new TelemetryBatcher(opts, {
      store: deps.store, seqs: this.#seqs, metrics: deps.metrics, logger: deps.logger,
      ack: (device, stream, seqFrom, seqTo) => this.#ack(device, stream, seqFrom, seqTo),
    });
    this.#drift = new DriftBatcher(opts, {
      store: deps.store, metrics: deps.metrics, logger: deps.logger,
      ack: (device, stream, seqFrom, seqTo) => this.#ack(device, stream, seqFrom, seqTo),
      ...(deps.onDriftCommitted ? { onCommitted: (rows: readonly DriftRow[]) => deps.onDriftCommitted!(rows) } : {}),
    });
  }

  async start(): Promise<void> {
    const filters = DEVICE_UPLINK_KINDS.map((k) => this.#topics.allDevices(k));
    await this.deps.transport.start(filters, (m) => this.handle(m));
  }

  /**
   * Stops taking messages (later ones are neither stored nor acked: their agents resend), commits
   * and acks what was accepted, then closes the transport.
   */
  async close(): Promise<void> {
    this.#closing = true;
    await this.#batcher.close();
    await this.#drift.close();
    await this.#status.settled();
    await this.deps.transport.close().catch((e: unknown) => this.deps.logger.warn({ err: e }, 'closing the ingest transport failed'));
  }

  handle(m: UplinkMessage): Promise<void> | null {
    if (this.#closing) return null;
    const arrived = performance.now();
    let device = '';
    let kind: DeviceUplinkKind;
    try {
      const t = parseTopic(m.topic);
      if (t.kind !== 'device' || t.fleet !== this.opts.fleet || !UPLINK.has(t.topic)) throw new EdgehiveError('EH_TOPIC_INVALID', `not a device uplink topic of fleet ${this.opts.fleet}`);
      device = t.device;
      kind = t.topic as DeviceUplinkKind;
    } catch (e) {
      this.#reject(e, m, device);
      return null;
    }
    this.deps.metrics.messageIn(kind);
    if (m.payload.length === 0 && RETAINED.has(kind)) return null;
    try {
      if (m.publisher !== null && m.publisher !== device) {
        throw new EdgehiveError('EH_ACL_DENIED', `client ${m.publisher} published under device ${device}`);
      }
      const known = this.deps.devices.get(device);
      if (known) return this.#dispatch(known, kind, m, arrived);
      return this.deps.devices.lookup(device).then((d) => {
        if (!d) throw new EdgehiveError('EH_AUTH_UNKNOWN_DEVICE', `device ${device} is not provisioned`);
        return this.#dispatch(d, kind, m, arrived) ?? undefined;
      }).catch((e: unknown) => this.#reject(e, m, device));
    } catch (e) {
      this.#reject(e, m, device);
      return null;
    }
  }

  #dispatch(device: CachedDevice, kind: DeviceUplinkKind, m: UplinkMessage, arrived: number): Promise<void> | null {
    switch (kind) {
      case 'telemetry': return this.#telemetry(device.id, decode('telemetry', m.payload), arrived, m);
      case 'status': this.#status.apply(device, decode('status', m.payload)); return null;
      case 'reported': this.#reported(device.id, decode('reported', m.payload)); return null;
      case 'drift': this.#driftReport(device.id, decode('drift', m.payload)); return null;
      case 'events': case 'fl': this.#record(device.id, kind, decode(kind, m.payload)); return null;
    }
  }

  #telemetry(device: string, batch: Decoded['telemetry'], arrived: number, m: UplinkMessage): Promise<void> | null {
    const key = SeqTracker.key(device, batch.stream);
    const highest = this.#seqs.get(key);
    if (highest === undefined) {
      // First batch of this stream since start: one store read, then the normal path.
      return this.#seqs.load(key, device, batch.stream)
        .then(() => this.#telemetry(device, batch, arrived, m) ?? undefined)
        .catch((e: unknown) => this.#reject(e, m, device));
    }
    // Readings the agent dropped to stay inside its storage bound leave a legitimate gap; the
    // bound only refuses jumps its own cumulative drop count does not explain.
    const allowed = this.opts.maxSeqJump + batch.droppedTotal;
    if (batch.firstSeq > highest + allowed) {
      throw new EdgehiveError('EH_SEQ_OUT_OF_RANGE', `stream ${batch.stream}: first_seq ${batch.firstSeq} is more than ${allowed} (max jump ${this.opts.maxSeqJump} + ${batch.droppedTotal} dropped) above the highest stored seq ${highest}`);
    }
    return this.#batcher.add({ write: toTelemetryWrite(device, batch, this.deps.clock.now()), seqKey: key, arrived });
  }

  #reported(device: string, m: Decoded['reported']): void {
    this.deps.reported?.add(toReportedRecord(device, m, this.deps.clock.now()));
  }

  #driftReport(device: string, m: Decoded['drift']): void {
    this.#drift.add({ device, seq: Number(m.seq), rows: toDriftRows(device, m, this.deps.clock.now()) });
  }

  #record(device: string, kind: RecordKind, m: Decoded[RecordKind]): void {
    this.deps.metrics.recordAcked(kind);
    this.#ack(device, kind, m.seq, m.seq);
  }

  #ack(device: string, stream: string, seqFrom: number, seqTo: number): void {
    this.deps.transport.publish(this.#topics.device(device, 'ack'), encode('ack', { stream, seqFrom, seqTo }));
  }

  #reject(e: unknown, m: UplinkMessage, device: string): void {
    const reason = rejectReason(e);
    if (reason === 'internal') this.deps.logger.error({ err: e, topic: m.topic.slice(0, 200) }, 'ingest failed on a message');
    const message = e instanceof Error ? e.message : String(e);
    this.deps.rejects.reject(reason, { topic: m.topic.slice(0, 200), device: device || undefined, publisher: m.publisher ?? undefined, bytes: m.payload.length }, `rejected uplink message: ${message}`);
  }

  get pendingReadings(): number {
    return this.#batcher.pendingReadings;
  }
}
