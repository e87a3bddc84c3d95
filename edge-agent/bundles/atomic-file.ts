/**
 * Durable file writes for the bundle state: a file is either its old content or its new content,
 * never a mix, across SIGKILL and power loss. Data goes to a temporary file beside the target, is
 * synced, renamed over the target (rename is atomic within a directory), and the directory is
 * synced so the rename itself survives a power cut.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Suffix of every temporary file this module makes; anything ending in it is left over from a crash. */
export const TEMP_SUFFIX = '.tmp';

export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`);
}

/** Writes and syncs `data` to a new temporary file next to `path`; returns its name. */
export function writeTempFile(path: string, data: Uint8Array | string): string {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  const fd = openSync(tmp, 'w', 0o644);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < bytes.byteLength) off += writeSync(fd, bytes, off, bytes.byteLength - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  return tmp;
}

/** Renames a synced temporary file over `path` and syncs the directory. */
export function commitTempFile(tmp: string, path: string): void {
  renameSync(tmp, path);
  fsyncDir(dirname(path));
}

export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  commitTempFile(writeTempFile(path, data), path);
}

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Removes temporary files a killed writer left in `dir` (not recursive); returns how many. */
export function removeTempFiles(dir: string): number {
  let n = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
  for (const name of names) {
    if (name.startsWith('.') && name.endsWith(TEMP_SUFFIX)) {
      rmSync(join(dir, name), { force: true });
      n++;
    }
  }
  return n;
}
