/**
 * Encode and decode every wire message with validation: nothing invalid is sent, and nothing
 * invalid gets past `decode`. Errors carry the code the hub counts as the reject reason.
 */
import { EdgehiveError } from '../errors/index.ts';
import { Limits } from './limits.ts';
import { Messages, type Decoded, type Encodable, type WireKind } from './messages.ts';
import { validateMessage } from './validate.ts';

interface Coder<K extends WireKind> {
  encode(m: Encodable[K]): { finish(): Uint8Array };
  decode(b: Uint8Array): Decoded[K];
}

function coder<K extends WireKind>(kind: K): Coder<K> {
  return Messages[kind] as unknown as Coder<K>;
}

export function encode<K extends WireKind>(kind: K, message: Encodable[K], maxBytes: number = Limits.maxPayloadBytes): Uint8Array {
  validateMessage(kind, message);
  const bytes = coder(kind).encode(message).finish();
  if (bytes.length > maxBytes) {
    throw new EdgehiveError('EH_PAYLOAD_TOO_LARGE', `${kind} message of ${bytes.length} bytes exceeds the limit of ${maxBytes}; send smaller batches`, { bytes: bytes.length, limit: maxBytes });
  }
  return bytes;
}

export function decode<K extends WireKind>(kind: K, bytes: Uint8Array, maxBytes: number = Limits.maxPayloadBytes): Decoded[K] {
  if (bytes.length > maxBytes) {
    throw new EdgehiveError('EH_PAYLOAD_TOO_LARGE', `${kind} payload of ${bytes.length} bytes exceeds the limit of ${maxBytes}`, { bytes: bytes.length, limit: maxBytes });
  }
  let message: Decoded[K];
  try {
    message = coder(kind).decode(bytes);
  } catch (e) {
    throw new EdgehiveError('EH_PAYLOAD_NOT_PROTOBUF', `${kind} payload is not a valid protobuf message: ${(e as Error).message}`, undefined, { cause: e });
  }
  // Unknown fields mean a peer speaking another protocol version, or bytes that happened to parse.
  if (hasUnknowns(message)) {
    throw new EdgehiveError('EH_PAYLOAD_NOT_PROTOBUF', `${kind} payload has fields this protocol version does not define; is the peer on edgehive/v1?`);
  }
  validateMessage(kind, message);
  return message;
}

// Walks nested messages only: arrays of numbers or strings (most of a telemetry batch) are skipped
// after one look at their first element, which keeps this off the decode hot path.
function hasUnknowns(m: unknown): boolean {
  const o = m as Record<string, unknown>;
  if (Array.isArray(o.$unknowns) && o.$unknowns.length > 0) return true;
  // Own keys only: for...in would also walk the generated classes' prototype defaults.
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (v === null || typeof v !== 'object' || v instanceof Uint8Array) continue;
    if (Array.isArray(v)) {
      if (v.length > 0 && typeof v[0] === 'object') {
        for (const item of v) if (hasUnknowns(item)) return true;
      }
    } else if (hasUnknowns(v)) {
      return true;
    }
  }
  return false;
}

/** Maps a codec error to the short reject reason the hub counts in /metrics. */
export function rejectReason(e: unknown): string {
  if (!(e instanceof EdgehiveError)) return 'internal';
  switch (e.code) {
    case 'EH_PAYLOAD_TOO_LARGE': return 'oversize';
    case 'EH_PAYLOAD_NOT_PROTOBUF': return 'not_protobuf';
    case 'EH_VALUE_NOT_FINITE': return 'non_finite';
    case 'EH_ID_INVALID': return 'bad_id';
    case 'EH_STREAM_UNKNOWN': return 'unknown_stream';
    case 'EH_SEQ_OUT_OF_RANGE': return 'seq_out_of_range';
    case 'EH_TOPIC_INVALID': return 'bad_topic';
    case 'EH_AUTH_UNKNOWN_DEVICE': return 'unknown_device';
    case 'EH_AUTH_BAD_SIGNATURE': return 'bad_signature';
    case 'EH_AUTH_STALE': return 'stale_auth';
    case 'EH_AUTH_MALFORMED': return 'malformed_auth';
    case 'EH_ACL_DENIED': return 'acl_denied';
    default: return 'invalid';
  }
}
