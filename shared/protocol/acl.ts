/**
 * Who may use which topic: pure rules the embedded broker's hooks call, and that
 * docs/protocol.md turns into an ACL for an external broker. DESIGN.md: a device publishes only
 * under its own d/{device}/ and reads only its own desired/ack, bundles/# and fl/#.
 */
import { DEVICE_UPLINK_KINDS, parseTopic, topicsFor } from './topics.ts';

const UPLINK: ReadonlySet<string> = new Set(DEVICE_UPLINK_KINDS);

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
  try {
    allowed = topicsFor(fleet).agentSubscriptions(device);
  } catch {
    return false;
  }
  if (allowed.includes(filter)) return true;
  const root = topicsFor(fleet).root;
  // A device may narrow a permitted wildcard to one bundle or round.
  if (filter.startsWith(`${root}/bundles/`) || filter.startsWith(`${root}/fl/`)) {
    const rest = filter.slice(root.length + 1).split('/');
    return rest.every((p, i) => p === '+' || (p === '#' && i === rest.length - 1) || /^[A-Za-z0-9_-]{1,64}$/.test(p));
  }
  return false;
}
