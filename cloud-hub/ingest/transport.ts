/**
 * How the ingest meets MQTT: in-process on the embedded broker, or as a client of an external
 * one. Either way it hands over uplink messages and publishes acks; the ingest does not know
 * which.
 */

export interface UplinkMessage {
  topic: string;
  payload: Buffer;
  /** MQTT client id of the publisher when the broker tells us (embedded), else null. */
  publisher: string | null;
}

/**
 * Handles one message. A returned promise asks the transport to stop taking messages until it
 * settles (backpressure while the store catches up); null means go on.
 */
export type UplinkHandler = (m: UplinkMessage) => Promise<void> | null;

export interface IngestTransport {
  readonly kind: 'embedded' | 'external';
  /** Subscribes to the filters (QoS 1) and starts delivering. */
  start(filters: readonly string[], handler: UplinkHandler): Promise<void>;
  /** QoS 1, not retained. Errors are logged by the transport; the agent resends if an ack is lost. */
  publish(topic: string, payload: Uint8Array): void;
  readonly connected: boolean;
  close(): Promise<void>;
}
