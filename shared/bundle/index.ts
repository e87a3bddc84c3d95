/** Signed model bundles and their trust chain (DESIGN.md "Bundles and trust", docs/bundles.md). */
export * from './schema.ts';
export { canonicalJson, canonicalBytes, parseCanonical } from './canonical.ts';
export { sha256, sha256Hex, keyIdOf, shortId } from './hash.ts';
export { signingKeyFromSeed, generateSigningKey, signDocument, verifyDocument, type SigningKey, type SigningContext } from './signing-key.ts';
export { makeRoot, signRoot, makeKeyList, signKeyList, advanceRoot, checkKeyList, checkRootBody } from './trust.ts';
export { encodeBundle, decodeBundle, bundleIdOf, BUNDLE_MAGIC, MAX_MANIFEST_BYTES, MAX_BLOCK_BYTES, type BundleParts } from './format.ts';
export { buildBundle, type BuildInput, type BuiltBundle } from './build.ts';
export { verifyBundle, verifyOffline, checkArtefacts, highestVersionOf, type VerifyContext, type VerifiedBundle } from './verify.ts';
export { CHUNK_BYTES, splitBundle, checkChunk, joinChunks, type Chunk } from './chunks.ts';
export { compareVersions } from './semver.ts';
export { recordHealthCheck, recordModelCheck, healthInput, MAX_CHECK_VALUES, type ModelCheck } from './health-record.ts';
export { loadHubTrust, rootOf, keyPaths, readRoots, readKeyList, readSigningKey, type HubTrust } from './key-dir.ts';
export { initDevTrust, initRoot, newSigningKey, revokeKey, rotateRoot, summariseKeys, DAY_MS, type KeysSummary } from './key-ops.ts';
