/**
 * Every error edgehive raises has a stable code from this table. Callers and tests match on
 * the code, never on message text; the message template says what was wrong and what to do.
 */
export const ErrorCodes = {
  // wire protocol
  EH_TOPIC_INVALID: 'topic does not match the edgehive topic scheme',
  EH_ID_INVALID: 'id must match [A-Za-z0-9_-]{1,64}',
  EH_PAYLOAD_TOO_LARGE: 'payload exceeds the size limit',
  EH_PAYLOAD_NOT_PROTOBUF: 'payload is not a valid protobuf message of the expected type',
  EH_PAYLOAD_INVALID: 'payload decoded but breaks a protocol rule',
  EH_STREAM_UNKNOWN: 'stream is not one the protocol knows',
  EH_SEQ_OUT_OF_RANGE: 'sequence number is outside the accepted range',
  EH_VALUE_NOT_FINITE: 'a numeric field is NaN or infinite',
  // identity and access
  EH_AUTH_UNKNOWN_DEVICE: 'device is not provisioned on this hub',
  EH_AUTH_BAD_SIGNATURE: 'device signature does not verify',
  EH_AUTH_STALE: 'authentication timestamp is outside the accepted window',
  EH_AUTH_MALFORMED: 'credentials are not in the expected form',
  EH_ACL_DENIED: 'client may not use this topic',
  EH_API_UNAUTHORIZED: 'a valid bearer token is required',
  EH_API_FORBIDDEN: 'token role does not allow this action',
  EH_KEY_INVALID: 'key material is not a valid ed25519 key',
  // config and input
  EH_CONFIG_INVALID: 'configuration does not match its schema',
  EH_SCENARIO_INVALID: 'scenario does not match its schema',
  EH_NOT_FOUND: 'resource not found',
  EH_CONFLICT: 'resource already exists with different content',
  EH_BAD_REQUEST: 'request is invalid',
  // storage
  EH_STORE_FULL: 'storage bound reached and nothing more may be dropped',
  EH_STORE_FAILED: 'storage operation failed',
  EH_SENSOR_FAILED: 'sensor adapter failed',
  EH_STATE: 'operation not valid in the current state',
  // model pipeline
  EH_RECIPE_INVALID: 'recipe does not match its schema',
  EH_MODEL_UNSUPPORTED: 'model uses a layer or operator edgehive cannot handle',
  EH_MODEL_INVALID: 'model file is not a valid model',
  EH_DATA_INSUFFICIENT: 'not enough data to train or evaluate',
  EH_TRAINING_FAILED: 'training failed',
  EH_PARITY_FAILED: 'exported model does not match the trained model',
  EH_GATE_FAILED: 'model variant failed its acceptance gate',
  EH_PROFILE_UNFIT: 'model does not fit the device profile',
  EH_INFERENCE_FAILED: 'inference failed',
  // bundles and trust (each a refusal the agent reports with the old model still running)
  EH_BUNDLE_MALFORMED: 'bundle file is truncated, has extra bytes, or its manifest breaks the schema',
  EH_BUNDLE_SIGNATURE: 'a signature is missing or does not verify',
  EH_BUNDLE_KEY_UNKNOWN: 'signed by a key the trust chain does not list',
  EH_BUNDLE_KEY_REVOKED: 'signed by a revoked key',
  EH_BUNDLE_KEY_EXPIRED: 'signed by an expired key, or the signing-key list has expired',
  EH_BUNDLE_THRESHOLD: 'fewer valid root signatures than the root threshold',
  EH_BUNDLE_TRUST_STALE: 'trust document older than one already accepted',
  EH_BUNDLE_EXPIRED: 'bundle manifest has expired',
  EH_BUNDLE_REPLAY: 'bundle version is not above the highest seen for the model',
  EH_BUNDLE_HASH: 'artefact or bundle hash does not match the manifest',
  EH_BUNDLE_CHUNK: 'bundle chunk has a wrong hash or index, or too many chunks',
  EH_BUNDLE_TARGET: 'bundle is for another fleet or device profile',
  EH_BUNDLE_AGENT_TOO_OLD: 'agent is older than the bundle\'s minimum agent version',
  EH_BUNDLE_HEALTH: 'bundle failed its health check on the device',
  EH_DEPLOYMENT_INVALID: 'deployment request cannot be carried out',
} as const;

export type ErrorCode = keyof typeof ErrorCodes;
