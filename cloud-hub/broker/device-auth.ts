/**
 * The embedded broker's gatekeeping, as aedes hooks. A device connects with username = client
 * id = device id and a password signed by its ed25519 key (shared/crypto/mqtt-auth.ts); it may
 * publish only under its own d/{device}/ and subscribe only to what shared/protocol/acl.ts
 * allows. The hub's own client, if any, uses a random per-process secret. Every refusal is
 * counted under its reject reason.
 */
import { timingSafeEqual } from 'node:crypto';
import type { AedesOptions, AuthenticateError, Client, PublishPacket, Subscription } from 'aedes';
import { verifyMqttPassword } from '../../shared/crypto/mqtt-auth.ts';
import { EdgehiveError } from '../../shared/errors/index.ts';
import { deviceMayPublish, deviceMaySubscribe } from '../../shared/protocol/acl.ts';
import { rejectReason } from '../../shared/protocol/codec.ts';
import type { Clock } from '../../shared/time/clock.ts';
import type { DeviceCache } from '../devices/device-cache.ts';
import type { RejectLog } from '../log/reject-log.ts';

/** Username of the hub's own MQTT client. Not a valid device id, so no device can take it. */
export const INTERNAL_USERNAME = '$edgehive-hub';

export interface DeviceAuthDeps {
  fleet: string;
  devices: DeviceCache;
  /** Wall time: device auth timestamps are wall-clock, whatever clock the fleet runs on. */
  wallClock: Clock;
  rejects: RejectLog;
  /** Per-process secret of the hub's internal client. */
  internalSecret: Buffer;
}

type Hooks = Required<Pick<AedesOptions, 'authenticate' | 'authorizePublish' | 'authorizeSubscribe'>>;

// MQTT 3.1.1 CONNACK return codes [MQTT-3.2.2.3]
const BAD_USERNAME_OR_PASSWORD = 4;
const NOT_AUTHORIZED = 5;

function refusal(e: EdgehiveError): AuthenticateError {
  const err = new Error(e.message) as AuthenticateError;
  err.returnCode = e.code === 'EH_AUTH_UNKNOWN_DEVICE' ? NOT_AUTHORIZED : BAD_USERNAME_OR_PASSWORD;
  return err;
}

export function deviceAuthHooks(deps: DeviceAuthDeps): Hooks {
  const internal = new WeakSet<Client>();

  const refuse = (client: Client, e: EdgehiveError, done: (err: AuthenticateError | null, ok: boolean | null) => void) => {
    const reason = rejectReason(e);
    deps.rejects.reject(reason, { clientId: client.id, code: e.code }, `MQTT connection refused: ${e.message}`);
    done(refusal(e), false);
  };

  const authenticate: Hooks['authenticate'] = (client, username, password, done) => {
    const secret = password ? Buffer.from(password) : Buffer.alloc(0);
    if (username === INTERNAL_USERNAME) {
      const ok = secret.length === deps.internalSecret.length && timingSafeEqual(secret, deps.internalSecret);
      if (ok) {
        internal.add(client);
        return done(null, true);
      }
      return refuse(client, new EdgehiveError('EH_AUTH_BAD_SIGNATURE', 'wrong secret for the hub\'s internal client'), done);
    }
    if (!username || secret.length === 0) {
      return refuse(client, new EdgehiveError('EH_AUTH_MALFORMED', 'username (device id) and password (signed timestamp) are required'), done);
    }
    if (client.id !== username) {
      return refuse(client, new EdgehiveError('EH_AUTH_MALFORMED', `client id ${JSON.stringify(client.id)} must equal the username (the device id)`), done);
    }
    deps.devices.lookup(username).then((device) => {
      if (!device) throw new EdgehiveError('EH_AUTH_UNKNOWN_DEVICE', `device ${username} is not provisioned on this hub; provision it with POST /api/v1/devices`);
      device.lastAuthTsMs = verifyMqttPassword(deps.fleet, username, device.publicKey, secret.toString('utf8'), deps.wallClock.now(), device.lastAuthTsMs);
      done(null, true);
    }).catch((e: unknown) => {
      refuse(client, e instanceof EdgehiveError ? e : new EdgehiveError('EH_AUTH_MALFORMED', `authentication failed: ${(e as Error).message}`), done);
    });
  };

  const authorizePublish: Hooks['authorizePublish'] = (client, packet, done) => {
    const topic = packet.topic;
    if (client && internal.has(client) && !topic.startsWith('$SYS')) return done(null);
    // client is null for a will the broker publishes after its client is gone
    const publisher = client?.id ?? (packet as PublishPacket & { clientId?: string }).clientId ?? '';
    if (deviceMayPublish(deps.fleet, publisher, topic)) return done(null);
    deps.rejects.reject('acl_denied', { clientId: publisher, topic: topic.slice(0, 200) }, 'publish refused: a device may publish only under its own d/{device}/ topics');
    done(new EdgehiveError('EH_ACL_DENIED', `client ${publisher} may not publish to ${topic.slice(0, 200)}`));
  };

  const authorizeSubscribe: Hooks['authorizeSubscribe'] = (client, sub: Subscription, done) => {
    if (internal.has(client) || deviceMaySubscribe(deps.fleet, client.id, sub.topic)) return done(null, sub);
    deps.rejects.reject('acl_denied', { clientId: client.id, filter: sub.topic.slice(0, 200) }, 'subscription refused: a device may read only its own desired/ack, the chunks of one named bundle (bundles/{id}/{n}) and fl/#');
    done(null, null); // negated: SUBACK 0x80 for this filter, the connection stays [MQTT-3.9.3]
  };

  return { authenticate, authorizePublish, authorizeSubscribe };
}
