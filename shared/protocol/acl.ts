/**
 * Who may use which topic: pure rules the embedded broker's hooks call, and that
 * docs/protocol.md turns into an ACL for an external broker. DESIGN.md: a device publishes only
 * under its own d/{device}/ and reads only its own desired/ack, bundle chunks and fl/#.
 */
import { isValidId } from '../ids.ts';
import { DEVICE_UPLINK_KINDS, parseTopic, topicsFor } from './topics.ts';

const UPLINK: ReadonlySet<string> = new Set(DEVICE_UPLINK_KINDS);
const CHUNK_INDEX = /^(0|[1-9][0-9]{0,6})$/;

export function deviceMayPublish(fleet: string, device: string, topic: string): boolean {
  try {
    const t = parseTopic(topic);
    return t.kind === 'device' && t.fleet === fleet && t.device === device && UPLINK.has(t.topic);
  } catch {
    return false;
  }
}

/** Subscriptions are matched as exact filters: wildcards other than the allowed ones are refused. */
export function deviceMaySubscribe(fleet: string, device: string, filter: string): boolean {
  let allowed: string[];
  let root: string;
  try {
    allowed = topicsFor(fleet).agentSubscriptions(device);
    root = topicsFor(fleet).root;
  } catch {
    return false;
  }
  if (allowed.includes(filter)) return true;
  // Chunks of one named bundle only (bundles/{id}/{n} or bundles/{id}/+): a wildcard over bundle
  // ids would hand the device every retained chunk of every bundle, which is the fan-out the
  // agent's one-chunk-at-a-time subscriptions exist to avoid.
  if (filter.startsWith(`${root}/bundles/`)) {
    const rest = filter.slice(root.length + '/bundles/'.length).split('/');
    return rest.length === 2 && isValidId(rest[0]) && (rest[1] === '+' || CHUNK_INDEX.test(rest[1] ?? ''));
  }
  // A device may narrow fl/# to one round.
  if (filter.startsWith(`${root}/fl/`)) {
    const rest = filter.slice(root.length + 1).split('/');
    return rest.every((p, i) => p === '+' || (p === '#' && i === rest.length - 1) || /^[A-Za-z0-9_-]{1,64}$/.test(p));
  }
  return false;
}
