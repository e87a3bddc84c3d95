/**
 * Artefact bytes on disk: <root>/<model>/<version>/<file>. Written to a temp file, fsynced and
 * renamed into place, so a crash leaves either the old file or the new one, never half of one;
 * read back only when they still hash to what the store recorded.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { writeFileDurably } from '../../shared/fs/write-durably.ts';
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { EdgehiveError } from '../../shared/errors/index.ts';
import { ArtefactFileName, ModelName } from './schema.ts';

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function assertArtefactName(file: string): void {
  const shown = JSON.stringify(file.slice(0, 80));
  if (!Value.Check(ArtefactFileName, file)) {
    throw new EdgehiveError('EH_BAD_REQUEST', `artefact name ${shown} is not valid: use 1-128 characters from A-Z a-z 0-9 . _ -, not starting with a dot`, { file });
  }
}

export class ArtefactFiles {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  /** Where a file lives; the names are checked so none can point outside `root`. */
  pathOf(model: string, version: number, file: string): string {
    const shown = JSON.stringify(model.slice(0, 80));
    if (!Value.Check(ModelName, model)) throw new EdgehiveError('EH_BAD_REQUEST', `model name ${shown} is not valid`, { model });
    if (!Number.isSafeInteger(version) || version < 1) throw new EdgehiveError('EH_BAD_REQUEST', `version ${version} is not a positive integer`, { version });
    assertArtefactName(file);
    return join(this.root, model, String(version), file);
  }

  /** Writes atomically; returns the sha256 and size of what was written. */
  async write(model: string, version: number, file: string, bytes: Uint8Array): Promise<{ sha256: string; bytes: number }> {
    const dest = this.pathOf(model, version, file);
    try {
      await writeFileDurably(dest, bytes);
    } catch (e) {
      throw new EdgehiveError('EH_STORE_FAILED', `cannot write artefact ${dest}: ${(e as Error).message}; check the hub's data directory (free space, permissions)`, { file: dest }, { cause: e });
    }
    return { sha256: sha256Hex(bytes), bytes: bytes.byteLength };
  }

  /** The file's bytes, checked against `sha256`. */
  async read(model: string, version: number, file: string, sha256: string): Promise<Buffer> {
    const path = this.pathOf(model, version, file);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (e) {
      throw new EdgehiveError('EH_STORE_FAILED', `artefact ${path} is recorded but cannot be read (${(e as Error).message}); restore the hub's data directory or train the model again`, { file: path }, { cause: e });
    }
    const actual = sha256Hex(bytes);
    if (actual !== sha256) {
      throw new EdgehiveError('EH_STORE_FAILED', `artefact ${path} has sha256 ${actual}, not the recorded ${sha256}: the file was changed or damaged; restore it or train the model again`, { file: path, expected: sha256, actual });
    }
    return bytes;
  }
}
