#!/usr/bin/env node
// The `edgehive` command. It runs the compiled build in dist/ when there is one that is newer
// than every source file (`npm run build`), and otherwise registers tsx so the TypeScript sources
// run as they are; either way it hands over to main, which loads only the subcommand asked for
// (see docs/decisions/0001). EDGEHIVE_FROM_SOURCE=1 always runs the sources.
//
// For `edgehive agent` it also keeps V8's young generation at its initial size (1 MiB per
// semi-space): a device's agent allocates little per reading and V8 would otherwise grow it to
// 16 MiB per semi-space under load, a third of the agent's memory (docs/decisions/0005).
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import v8 from 'node:v8';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SOURCE_DIRS = ['shared', 'edge-agent', 'cloud-hub', 'simulators', 'device-profiles'];

/** Newest modification time (ms) of any file under `dir`; 0 when there is none. */
function newestMtime(dir) {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules') newest = Math.max(newest, newestMtime(p));
    } else if (e.isFile()) {
      newest = Math.max(newest, statSync(p).mtimeMs);
    }
  }
  return newest;
}

/** dist/simulators/cli/main.js when a build exists and no source changed since; else null. */
function freshBuild() {
  if (process.env.EDGEHIVE_FROM_SOURCE === '1') return null;
  const main = join(root, 'dist', 'simulators', 'cli', 'main.js');
  let built;
  try {
    built = statSync(main).mtimeMs;
  } catch {
    return null;
  }
  for (const d of SOURCE_DIRS) if (newestMtime(join(root, d)) > built) return null;
  return main;
}

const youngGenSet = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((a) => /semi[-_]space/.test(a));
if (process.argv[2] === 'agent' && !youngGenSet) {
  // Read by V8 each time it would grow the new space, so it takes effect here, before the agent
  // has allocated anything; the same as starting node with --max-semi-space-size=1.
  v8.setFlagsFromString('--semi-space-growth-factor=1');
}

const built = freshBuild();
if (built) {
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./main.ts');
}
