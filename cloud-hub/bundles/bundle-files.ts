/**
 * Bundle files on disk: <root>/<id>.ehb. Written to a temp file, fsynced and renamed into place
 * (a crash leaves the whole file or none), and read back only when they still hash to what the
 * store recorded. The store decides whether a bundle exists; a file left by a write whose record
 * never made it is simply replaced.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { writeFileDurably } from '../../shared/fs/write-durably.ts';
import { join } from 'node:path';
import { EdgehiveError } from '../../shared/errors/index.ts';

const BUNDLE_ID = /^[0-9a-f]{64}$/;

export class BundleFiles {
  constructor(readonly root: string) {}

  pathOf(id: string): string {
    if (!BUNDLE_ID.test(id)) throw new EdgehiveError('EH_BAD_REQUEST', `bundle id ${JSON.stringify(id.slice(0, 80))} is not valid: a bundle id is 64 lowercase hex digits (the sha256 of its manifest)`, { id });
    return join(this.root, `${id}.ehb`);
  }

  async write(id: string, bytes: Uint8Array): Promise<void> {
    const dest = this.pathOf(id);
    try {
      await writeFileDurably(dest, bytes);
    } catch (e) {
      throw new EdgehiveError('EH_STORE_FAILED', `cannot write bundle ${dest}: ${(e as Error).message}; check the hub's data directory (free space, permissions)`, { file: dest }, { cause: e });
    }
  }

  /** The file's bytes, checked against the recorded sha256 (hex) of the whole file. */
  async read(id: string, sha256: string): Promise<Buffer> {
    const path = this.pathOf(id);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (e) {
      throw new EdgehiveError('EH_STORE_FAILED', `bundle ${id} is recorded but its file ${path} cannot be read (${(e as Error).message}); restore the hub's data directory or build the bundle again`, { file: path }, { cause: e });
    }
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== sha256) {
      throw new EdgehiveError('EH_STORE_FAILED', `bundle file ${path} has sha256 ${actual}, not the recorded ${sha256}: it was changed or damaged; restore it from a backup`, { file: path, expected: sha256, actual });
    }
    return bytes;
  }
}
