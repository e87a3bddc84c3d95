/**
 * Reading an installed bundle back from its slot file. Before a slot runs (at start, on a swap
 * back) its file is checked for damage: structure, artefact hashes, and that it is the bundle the
 * pointer file names. Not expiry or version: those were checked when it was installed, and an
 * installed model must keep running after its manifest expires.
 */
import { readFileSync } from 'node:fs';
import { checkArtefacts, decodeBundle, type BundleParts } from '../../shared/bundle/index.ts';
import { EdgehiveError, isEdgehiveError } from '../../shared/errors/index.ts';
import type { SlotInfo } from './slots.ts';

/** The bundle in a slot file, checked for damage; `expect` (the pointer file's record) is checked when given. */
export function readSlotFile(path: string, expect: Pick<SlotInfo, 'bundleId'> | null): BundleParts {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new EdgehiveError('EH_BUNDLE_MALFORMED', `slot file ${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); the bundle must be installed again`, { path }, { cause: e });
  }
  let parts: BundleParts;
  try {
    parts = decodeBundle(bytes);
    checkArtefacts(parts);
  } catch (e) {
    if (!isEdgehiveError(e)) throw e;
    throw new EdgehiveError(e.code, `slot file ${path} is damaged: ${e.message}`, { path }, { cause: e });
  }
  if (expect !== null && parts.id !== expect.bundleId) {
    throw new EdgehiveError('EH_BUNDLE_HASH', `slot file ${path} holds bundle ${parts.id.slice(0, 12)} but the slot pointer says ${expect.bundleId.slice(0, 12)}; the bundle must be installed again`, { path });
  }
  return parts;
}

export function slotInfoOf(parts: BundleParts): Omit<SlotInfo, 'healthy'> {
  const m = parts.manifest;
  return { bundleId: parts.id, model: m.model, version: m.version, variant: m.variant };
}
