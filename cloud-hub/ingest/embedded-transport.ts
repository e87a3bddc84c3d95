/**
 * Ingest on the embedded broker, in-process: `aedes.subscribe` delivers each publish with the
 * publisher's client id and no socket hop; `aedes.publish` sends acks. Holding the delivery
 * callback stops the publisher's socket from being read: that is the backpressure.
 */
import type { Aedes, AedesPublishPacket } from 'aedes';
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { Logger } from '../../shared/log/logger.ts';
import type { IngestTransport, UplinkHandler } from './transport.ts';

type Deliver = (packet: AedesPublishPacket, cb: () => void) => void;

export class EmbeddedTransport implements IngestTransport {
  readonly kind = 'embedded' as const;
  readonly #subs: Array<{ filter: string; deliver: Deliver }> = [];
  #closed = false;

  constructor(private readonly aedes: Aedes, private readonly logger: Logger) {}

  get connected(): boolean {
    return !this.#closed && !this.aedes.closed;
  }

  async start(filters: readonly string[], handler: UplinkHandler): Promise<void> {
    const deliver: Deliver = (packet, cb) => {
      const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
      const publisher = (packet as AedesPublishPacket & { clientId?: string }).clientId ?? null;
      let wait: Promise<void> | null;
      try {
        wait = handler({ topic: packet.topic, payload, publisher });
      } catch (e) {
        this.logger.error({ err: e, topic: packet.topic }, 'ingest handler threw; message dropped');
        wait = null;
      }
      if (wait) wait.then(cb, cb);
      else cb();
    };
    for (const filter of filters) {
      await new Promise<void>((resolve) => this.aedes.subscribe(filter, deliver, resolve));
      this.#subs.push({ filter, deliver });
    }
  }

  publish(topic: string, payload: Uint8Array): void {
    if (this.#closed || this.aedes.closed) return;
    const packet = { cmd: 'publish' as const, topic, payload: Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength), qos: 1 as const, retain: false, dup: false };
    this.aedes.publish(packet, (err) => {
      if (err) this.logger.warn({ err: err.message, topic }, 'ack publish failed; the agent will resend');
    });
  }

  publishRetained(topic: string, payload: Uint8Array): Promise<void> {
    if (this.#closed || this.aedes.closed) {
      return Promise.reject(new EdgehiveError('EH_STATE', `cannot publish ${topic}: the embedded broker is closed`));
    }
    // aedes stores a retained publish in its persistence and hands it to later subscribers; an
    // empty payload deletes the stored one.
    const packet = { cmd: 'publish' as const, topic, payload: Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength), qos: 1 as const, retain: true, dup: false };
    return new Promise<void>((resolve, reject) => {
      this.aedes.publish(packet, (err) => {
        if (err) reject(new EdgehiveError('EH_STATE', `retained publish on ${topic} failed: ${err.message}`, undefined, { cause: err }));
        else resolve();
      });
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.aedes.closed) return;
    for (const { filter, deliver } of this.#subs.splice(0)) {
      await new Promise<void>((resolve) => this.aedes.unsubscribe(filter, deliver, resolve));
    }
  }
}
