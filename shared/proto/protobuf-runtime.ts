/**
 * Settings of the protobuf runtime, imported for their effect before the generated module (whose
 * field defaults read them):
 * - 64-bit integers decode as plain numbers: sequence numbers and sizes stay below 2^53 (the
 *   codec checks) and Long objects on every hot-path message cost time.
 * - Unknown fields are kept, so the codec can refuse a message of another type or protocol
 *   version instead of silently reading it as an empty one.
 */
import protobuf from 'protobufjs/minimal.js';

(protobuf.util as { Long?: unknown }).Long = undefined;
protobuf.configure();
(protobuf.Reader as unknown as { discardUnknown: boolean }).discardUnknown = false;
