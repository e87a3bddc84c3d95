/**
 * The bundle file, byte by byte (docs/bundles.md):
 *
 *   "EHBUNDL1"                 8 bytes, magic and format version
 *   u32 big-endian M, then M bytes of manifest (canonical JSON)
 *   u32 big-endian S, then S bytes of signature block (canonical JSON)
 *   the artefacts back to back, in manifest order, each exactly as long as the manifest says
 *
 * Nothing may follow the last artefact. Decoding checks structure and schemas only; trust is
 * verify.ts's job.
 */
import { EdgehiveError } from '../errors/index.ts';
import { schemaProblems } from '../config/validate.ts';
import { canonicalBytes, parseCanonical } from './canonical.ts';
import { sha256Hex } from './hash.ts';
import { ManifestSchema, SignatureBlockSchema, type Manifest, type ManifestArtefact, type SignatureBlock } from './schema.ts';
import type { TSchema } from '@sinclair/typebox';

export const BUNDLE_MAGIC = 'EHBUNDL1';
const MAGIC = new TextEncoder().encode(BUNDLE_MAGIC);
/** A hostile length field must not make a device allocate gigabytes; real manifests are a few KiB. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
export const MAX_BLOCK_BYTES = 4 * 1024 * 1024;

export interface BundleParts { id: string; manifestBytes: Uint8Array; manifest: Manifest; block: SignatureBlock; artefacts: Map<string, Uint8Array> }

/** The bundle id: sha256 of the manifest bytes, which name every artefact by its hash. */
export function bundleIdOf(manifestBytes: Uint8Array): string {
  return sha256Hex(manifestBytes);
}

function malformed(message: string, details?: Record<string, unknown>): never {
  throw new EdgehiveError('EH_BUNDLE_MALFORMED', message, details);
}

function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, false);
  return b;
}

export function encodeBundle(manifestBytes: Uint8Array, block: SignatureBlock, artefacts: readonly Uint8Array[]): Uint8Array {
  const blockBytes = canonicalBytes(block, 'EH_BUNDLE_MALFORMED');
  if (manifestBytes.length > MAX_MANIFEST_BYTES) malformed(`manifest is ${manifestBytes.length} bytes, over the ${MAX_MANIFEST_BYTES}-byte limit; move large data into an artefact`);
  if (blockBytes.length > MAX_BLOCK_BYTES) malformed(`signature block is ${blockBytes.length} bytes, over the ${MAX_BLOCK_BYTES}-byte limit`);
  const parts = [MAGIC, u32(manifestBytes.length), manifestBytes, u32(blockBytes.length), blockBytes, ...artefacts];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Schema problems as one EH_BUNDLE_MALFORMED naming the JSON pointer of each bad field. */
export function checkAgainst(schema: TSchema, value: unknown, what: string): void {
  const problems = schemaProblems(schema, value);
  if (problems.length > 0) {
    malformed(`${what} breaks its schema: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}; rebuild the bundle with edgehive bundle build`, { problems });
  }
}

/** The manifest rules the schema cannot express: unique artefact names, exactly one model. */
export function checkManifestArtefacts(artefacts: readonly ManifestArtefact[]): void {
  const names = new Set<string>();
  for (const [i, a] of artefacts.entries()) {
    if (names.has(a.name)) malformed(`manifest /artefacts/${i}: artefact name "${a.name}" is used twice; names must be unique`);
    names.add(a.name);
  }
  const models = artefacts.filter((a) => a.kind === 'model.onnx').length;
  if (models !== 1) malformed(`manifest lists ${models} artefacts of kind model.onnx; a bundle carries exactly one model`);
}

export function decodeBundle(bytes: Uint8Array): BundleParts {
  if (!(bytes instanceof Uint8Array)) malformed('bundle must be bytes');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const take = (n: number, what: string): Uint8Array => {
    if (n > bytes.length - at) malformed(`bundle is truncated: ${what} needs ${n} bytes at offset ${at} but only ${bytes.length - at} remain; download it again`, { offset: at, need: n });
    const out = bytes.subarray(at, at + n);
    at += n;
    return out;
  };
  const magic = take(MAGIC.length, 'the magic');
  if (!magic.every((b, i) => b === MAGIC[i])) malformed(`not an edgehive bundle: the file does not start with "${BUNDLE_MAGIC}"`);
  const length = (what: string, max: number): number => {
    take(4, `the ${what} length`);
    const n = view.getUint32(at - 4, false);
    if (n > max) malformed(`${what} length ${n} is over the ${max}-byte limit; the file is damaged or hostile`, { length: n, max });
    return n;
  };
  const manifestBytes = take(length('manifest', MAX_MANIFEST_BYTES), 'the manifest');
  const blockBytes = take(length('signature block', MAX_BLOCK_BYTES), 'the signature block');

  const manifest = parseCanonical(manifestBytes, 'manifest');
  checkAgainst(ManifestSchema, manifest, 'manifest');
  const m = manifest as Manifest;
  checkManifestArtefacts(m.artefacts);
  const block = parseCanonical(blockBytes, 'signature block');
  checkAgainst(SignatureBlockSchema, block, 'signature block');

  const artefacts = new Map<string, Uint8Array>();
  for (const a of m.artefacts) artefacts.set(a.name, take(a.bytes, `artefact "${a.name}"`));
  if (at !== bytes.length) malformed(`bundle has ${bytes.length - at} bytes after its last artefact; the file is damaged or was appended to`, { extra: bytes.length - at });
  return { id: bundleIdOf(manifestBytes), manifestBytes, manifest: m, block: block as SignatureBlock, artefacts };
}
