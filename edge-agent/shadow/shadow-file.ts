/**
 * dataDir/bundles/shadow.ehb: the verified challenger, byte for byte, outside the two slots (it is
 * not installed: the slots' swap-back and failure rules do not apply to it). Written atomically,
 * read back checked for damage (structure, artefact hashes) like a slot file; a damaged file is
 * removed.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { checkArtefacts, decodeBundle, type BundleParts } from '../../shared/bundle/index.ts';
import { EdgehiveError, isEdgehiveError } from '../../shared/errors/index.ts';
import { writeFileAtomic } from '../bundles/atomic-file.ts';

export const SHADOW_FILE = 'shadow.ehb';
/** Chunks of the challenger being downloaded; apart from incoming/, which the installer empties at will. */
export const SHADOW_INCOMING = 'shadow-incoming';

export class ShadowFile {
  readonly path: string;
  constructor(dir: string) {
    this.path = join(dir, SHADOW_FILE);
  }

  write(bytes: Uint8Array): void {
    writeFileAtomic(this.path, bytes);
  }

  /** The bytes, if the file holds bundle `bundleId`. */
  bytesOf(bundleId: string): Uint8Array | null {
    if (!existsSync(this.path)) return null;
    try {
      const bytes = readFileSync(this.path);
      return decodeBundle(bytes).id === bundleId ? bytes : null;
    } catch {
      return null;
    }
  }

  /** The challenger on disk, checked for damage; null when there is none. A damaged file is removed and the error thrown. */
  read(): BundleParts | null {
    if (!existsSync(this.path)) return null;
    try {
      const parts = decodeBundle(readFileSync(this.path));
      checkArtefacts(parts);
      return parts;
    } catch (e) {
      this.remove();
      if (!isEdgehiveError(e)) throw new EdgehiveError('EH_BUNDLE_MALFORMED', `${this.path} cannot be read: ${(e as Error).message}`, undefined, { cause: e });
      throw new EdgehiveError(e.code, `${this.path} is damaged: ${e.message}`, undefined, { cause: e });
    }
  }

  remove(): void {
    rmSync(this.path, { force: true });
  }
}
