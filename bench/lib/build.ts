/**
 * The compiled build the agent benchmark measures, as `npm run build` makes it: the repository's
 * dist/ when it is newer than every source file (the `edgehive` launcher then runs it), otherwise
 * a fresh build in a temporary directory laid out like the repository (dist/, the launcher,
 * node_modules linked), so that the launcher there runs it in the same way.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { say, tempDir, type TempDir } from './util.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE_DIRS = ['shared', 'edge-agent', 'cloud-hub', 'simulators', 'device-profiles'];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (e.isFile()) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

export interface Build { launcher: string; what: string; tmp: TempDir | null }

/** The launcher to run (simulators/cli/edgehive.js of the repository or of a temporary build). */
export function compiledBuild(): Build {
  const launcher = join(ROOT, 'simulators', 'cli', 'edgehive.js');
  try {
    const built = statSync(join(ROOT, 'dist', 'simulators', 'cli', 'main.js')).mtimeMs;
    if (SOURCE_DIRS.every((d) => newestMtime(join(ROOT, d)) <= built)) return { launcher, what: 'the repository\'s dist/ (npm run build)', tmp: null };
  } catch { /* no build */ }
  const tmp = tempDir('eh-bench-build-');
  // The launcher first: it runs dist/ only when dist/ is newer than everything beside it.
  const copy = join(tmp.dir, 'simulators', 'cli', 'edgehive.js');
  mkdirSync(dirname(copy), { recursive: true });
  copyFileSync(launcher, copy);
  say(`  building the sources into ${tmp.dir}/dist (tsc -p tsconfig.build.json, as npm run build) ...`);
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(tmp.dir, 'dist')], { encoding: 'utf8' });
  // Type errors elsewhere in the tree (work in progress) still emit JavaScript; a missing entry does not.
  try {
    statSync(join(tmp.dir, 'dist', 'simulators', 'cli', 'main.js'));
  } catch {
    tmp.remove();
    throw new Error(`the build produced no dist/simulators/cli/main.js:\n${r.stdout}${r.stderr}`);
  }
  if (r.status !== 0) say(`  (tsc reported errors, JavaScript emitted anyway: ${r.stdout.split('\n').filter(Boolean).length} lines)`);
  // What postbuild copies (package.json).
  cpSync(join(ROOT, 'shared/proto/generated'), join(tmp.dir, 'dist/shared/proto/generated'), { recursive: true });
  cpSync(join(ROOT, 'simulators/scenarios'), join(tmp.dir, 'dist/simulators/scenarios'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(tmp.dir, 'node_modules'), 'dir');
  return { launcher: copy, what: 'a fresh compiled build (tsc -p tsconfig.build.json)', tmp };
}
