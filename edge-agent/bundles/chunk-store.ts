/**
 * Chunks of the bundle being downloaded, one file each under incoming/<bundleId>/, so a
 * disconnect or a restart resumes with only the chunks still missing. A file's name carries the
 * sha256 its chunk message announced ("<index>-<sha256hex>"); a file is written whole (temp,
 * sync, rename), and re-hashed when listed after a restart, so a damaged file is dropped and
 * fetched again rather than poisoning the bundle.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../../shared/bundle/index.ts';
import { EdgehiveError } from '../../shared/errors/index.ts';
import { isValidId } from '../../shared/ids.ts';
import { removeTempFiles, writeFileAtomic } from './atomic-file.ts';

const NAME = /^(0|[1-9][0-9]{0,6})-([0-9a-f]{64})$/;

export interface StoredChunks {
  /** Index → file name, for chunks whose content matched their hash. */
  readonly have: Map<number, string>;
  /** Files dropped because their content no longer matched (disk damage) or their name was foreign. */
  readonly dropped: number;
}

export class ChunkStore {
  constructor(readonly dir: string) {}

  #bundleDir(bundleId: string): string {
    if (!isValidId(bundleId)) throw new EdgehiveError('EH_ID_INVALID', `bundle id ${JSON.stringify(String(bundleId).slice(0, 80))} is not a valid id`);
    return join(this.dir, bundleId);
  }

  /** The chunks of `bundleId` already on disk with indexes below `total`, re-hashed. */
  list(bundleId: string, total: number): StoredChunks {
    const dir = this.#bundleDir(bundleId);
    removeTempFiles(dir);
    const have = new Map<number, string>();
    let dropped = 0;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { have, dropped };
      throw e;
    }
    for (const name of names) {
      const m = NAME.exec(name);
      const index = m ? Number(m[1]) : -1;
      if (!m || index >= total || have.has(index) || sha256Hex(readFileSync(join(dir, name))) !== m[2]) {
        rmSync(join(dir, name), { force: true });
        dropped++;
        continue;
      }
      have.set(index, name);
    }
    return { have, dropped };
  }

  /** Stores one checked chunk durably; returns its file name. */
  put(bundleId: string, index: number, data: Uint8Array): string {
    const dir = this.#bundleDir(bundleId);
    mkdirSync(dir, { recursive: true });
    const name = `${index}-${sha256Hex(data)}`;
    writeFileAtomic(join(dir, name), data);
    return name;
  }

  /** The stored chunks' bytes in index order (`have` from list/put must cover 0..total-1). */
  read(bundleId: string, have: ReadonlyMap<number, string>, total: number): Uint8Array[] {
    const dir = this.#bundleDir(bundleId);
    const out: Uint8Array[] = [];
    for (let i = 0; i < total; i++) {
      const name = have.get(i);
      if (name === undefined) throw new EdgehiveError('EH_STATE', `chunk ${i} of bundle ${bundleId} is not stored; download it before joining`);
      out.push(readFileSync(join(dir, name)));
    }
    return out;
  }

  remove(bundleId: string): void {
    rmSync(this.#bundleDir(bundleId), { recursive: true, force: true });
  }

  /** Removes the downloads of every bundle but `keep` (a superseded desired state, a finished install). */
  removeAllBut(keep: string | null): void {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    for (const name of names) if (name !== keep) rmSync(join(this.dir, name), { recursive: true, force: true });
  }
}
