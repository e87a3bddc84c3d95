/**
 * The one module that owns MQTT topic strings. Nothing else concatenates them: build with
 * `topicsFor(fleet)`, take incoming topics apart with `parseTopic`.
 */
import { EdgehiveError } from '../errors/index.ts';
import { isValidId } from '../ids.ts';

export const PROTOCOL_ROOT = 'edgehive/v1';

/** Topics under d/{device}/, with who publishes them. */
export const DEVICE_UPLINK_KINDS = ['status', 'telemetry', 'events', 'drift', 'reported', 'fl'] as const;
export const DEVICE_DOWNLINK_KINDS = ['desired', 'ack'] as const;
export type DeviceUplinkKind = (typeof DEVICE_UPLINK_KINDS)[number];
export type DeviceDownlinkKind = (typeof DEVICE_DOWNLINK_KINDS)[number];
export type DeviceTopicKind = DeviceUplinkKind | DeviceDownlinkKind;

export type ParsedTopic =
  | { kind: 'device'; fleet: string; device: string; topic: DeviceTopicKind }
  | { kind: 'bundle-chunk'; fleet: string; bundleId: string; chunk: number }
  | { kind: 'fl-round'; fleet: string; round: string };

const DEVICE_KINDS: ReadonlySet<string> = new Set([...DEVICE_UPLINK_KINDS, ...DEVICE_DOWNLINK_KINDS]);
const MAX_CHUNK_INDEX = 1_000_000;

function checkId(what: string, v: string): string {
  if (!isValidId(v)) throw new EdgehiveError('EH_ID_INVALID', `${what} ${JSON.stringify(v)} is not valid: use 1-64 characters from A-Z a-z 0-9 _ -`);
  return v;
}

export interface FleetTopics {
  readonly root: string;
  device(device: string, kind: DeviceTopicKind): string;
  bundleChunk(bundleId: string, chunk: number): string;
  /** Filter matching every chunk of one bundle. */
  bundleChunks(bundleId: string): string;
  flRound(round: string): string;
  /** Filter the hub subscribes to for one uplink kind of every device. */
  allDevices(kind: DeviceUplinkKind): string;
  /**
   * Filters an agent subscribes to on every connect. Bundle chunks are not among them: the agent
   * subscribes to the exact `bundleChunk(id, n)` topics it still lacks, because a fleet-wide
   * `bundles/#` would push every retained chunk of every bundle to every agent on each connect.
   */
  agentSubscriptions(device: string): string[];
}

export function topicsFor(fleet: string): FleetTopics {
  const root = `${PROTOCOL_ROOT}/${checkId('fleet id', fleet)}`;
  return {
    root,
    device: (device, kind) => `${root}/d/${checkId('device id', device)}/${kind}`,
    bundleChunk: (bundleId, chunk) => {
      if (!Number.isInteger(chunk) || chunk < 0 || chunk > MAX_CHUNK_INDEX) throw new EdgehiveError('EH_TOPIC_INVALID', `chunk index ${chunk} is not an integer in 0..${MAX_CHUNK_INDEX}`);
      return `${root}/bundles/${checkId('bundle id', bundleId)}/${chunk}`;
    },
    bundleChunks: (bundleId) => `${root}/bundles/${checkId('bundle id', bundleId)}/+`,
    flRound: (round) => `${root}/fl/${checkId('round id', round)}`,
    allDevices: (kind) => `${root}/d/+/${kind}`,
    agentSubscriptions: (device) => [
      `${root}/d/${checkId('device id', device)}/desired`,
      `${root}/d/${device}/ack`,
      `${root}/fl/#`,
    ],
  };
}

/** Takes a concrete topic apart; throws EH_TOPIC_INVALID naming what did not fit. */
export function parseTopic(topic: string): ParsedTopic {
  const bad = (why: string): never => {
    throw new EdgehiveError('EH_TOPIC_INVALID', `topic ${JSON.stringify(topic.slice(0, 200))}: ${why}`);
  };
  const parts = topic.split('/');
  if (parts[0] !== 'edgehive' || parts[1] !== 'v1') bad(`does not start with ${PROTOCOL_ROOT}/`);
  const fleet = parts[2] ?? '';
  if (!isValidId(fleet)) bad('fleet id is not valid');
  const section = parts[3];
  if (section === 'd' && parts.length === 6) {
    const device = parts[4] ?? '';
    const kind = parts[5] ?? '';
    if (!isValidId(device)) bad('device id is not valid');
    if (!DEVICE_KINDS.has(kind)) bad(`unknown device topic "${kind}"`);
    return { kind: 'device', fleet, device, topic: kind as DeviceTopicKind };
  }
  if (section === 'bundles' && parts.length === 6) {
    const bundleId = parts[4] ?? '';
    const chunkStr = parts[5] ?? '';
    if (!isValidId(bundleId)) bad('bundle id is not valid');
    if (!/^(0|[1-9][0-9]{0,6})$/.test(chunkStr) || Number(chunkStr) > MAX_CHUNK_INDEX) bad('chunk index is not a non-negative integer');
    return { kind: 'bundle-chunk', fleet, bundleId, chunk: Number(chunkStr) };
  }
  if (section === 'fl' && parts.length === 5) {
    const round = parts[4] ?? '';
    if (!isValidId(round)) bad('round id is not valid');
    return { kind: 'fl-round', fleet, round };
  }
  return bad('unknown topic layout');
}
