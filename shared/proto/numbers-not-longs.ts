/**
 * 64-bit protobuf integers decode as plain numbers: edgehive's sequence numbers and sizes stay
 * below 2^53 (the codec checks), and Long objects on every hot-path message cost time.
 * Imported for its effect before the generated module, whose defaults read this setting.
 */
import protobuf from 'protobufjs/minimal.js';

(protobuf.util as { Long?: unknown }).Long = undefined;
protobuf.configure();
