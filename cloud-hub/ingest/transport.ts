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
  /**
   * QoS 1, retained: the broker keeps the payload for subscribers that come later (desired
   * states, bundle chunks). An empty payload clears the retained message [MQTT-3.3.1-10].
   * Resolves once the broker has it; rejects (EH_STATE) when it cannot be handed over.
   */
  publishRetained(topic: string, payload: Uint8Array): Promise<void>;
  readonly connected: boolean;
  close(): Promise<void>;
}
