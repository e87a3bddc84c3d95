/**
 * `edgehive keys …`: the fleet's trust chain in a key directory (shared/bundle/key-dir.ts).
 * Prints public facts only (ids, versions, expiries); private keys stay in their 0600 files.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  initRoot, newSigningKey, revokeKey, rotateRoot, summariseKeys, keyPaths,
} from '../../shared/bundle/index.ts';
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { Clock } from '../../shared/time/clock.ts';
import { systemClock } from '../../shared/time/clock.ts';
import { numberFlag } from './flags.ts';
import { usage } from './usage.ts';

/** parseArgs with its errors turned into EH_CONFIG_INVALID, so a typo prints one line, not a stack. */
export function parseFlags<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O, command: string): ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: true }>> {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (e) {
    throw new EdgehiveError('EH_CONFIG_INVALID', `${(e as Error).message}; see edgehive ${command} --help`);
  }
}

function need(v: string | undefined, flag: string, command: string): string {
  if (v === undefined || v === '') throw new EdgehiveError('EH_CONFIG_INVALID', `edgehive keys ${command} needs ${flag}`);
  return v;
}

function intFlag(name: string, v: string | undefined): number | undefined {
  const n = numberFlag(name, v);
  if (n !== undefined && !Number.isInteger(n)) throw new EdgehiveError('EH_CONFIG_INVALID', `${name} must be a whole number, got ${v}`);
  return n;
}

const iso = (ms: number): string => new Date(ms).toISOString();

function show(dir: string, nowMs: number): void {
  const s = summariseKeys(dir);
  console.log(`fleet ${s.fleet} (${dir})`);
  for (const r of s.roots) {
    console.log(`root v${r.version}: ${r.threshold} of ${r.keys.length} keys, ${r.signatures} signatures, created ${iso(r.createdMs)}`);
    for (const id of r.keys) console.log(`  ${id}`);
  }
  if (!s.list) {
    console.log(`no signing-key list; create one with edgehive keys new-signing-key --dir ${dir}`);
  } else {
    const l = s.list;
    console.log(`signing-key list v${l.version} (signed by root v${l.rootVersion}), expires ${iso(l.expiresMs)}${l.expiresMs <= nowMs ? ' EXPIRED' : ''}`);
    for (const k of l.keys) console.log(`  ${k.id} expires ${iso(k.expiresMs)}${k.expiresMs <= nowMs ? ' EXPIRED' : ''}${k.id === s.signingKey ? ' (the hub signs with this one)' : ''}`);
    console.log(`revoked: ${l.revoked.length === 0 ? 'none' : l.revoked.join(', ')}`);
  }
  console.log(`offline root keys present: ${s.offlineKeys}`);
}

export async function runKeysCommand(argv: string[], clock: Clock = systemClock): Promise<number> {
  const [sub, ...rest] = argv;
  const { values: f } = parseFlags(rest, {
    dir: { type: 'string' }, fleet: { type: 'string' }, keys: { type: 'string' }, threshold: { type: 'string' },
    'expires-days': { type: 'string' }, replace: { type: 'boolean', default: false }, 'key-id': { type: 'string' },
  }, 'keys');
  const nowMs = clock.now();
  switch (sub) {
    case 'init-root': {
      const dir = need(f.dir, '--dir D', sub);
      const root = initRoot(dir, { fleet: need(f.fleet, '--fleet F', sub), keys: intFlag('--keys', f.keys), threshold: intFlag('--threshold', f.threshold), nowMs });
      console.log(`root v1 of fleet ${root.fleet}: ${root.threshold} of ${root.keys.length} keys → ${keyPaths(dir).root(1)}`);
      console.log(`root private keys in ${keyPaths(dir).offline} (keep them offline in production; see README.txt there)`);
      console.log(`next: edgehive keys new-signing-key --dir ${dir}`);
      return 0;
    }
    case 'new-signing-key': {
      const dir = need(f.dir, '--dir D', sub);
      const { keyId, list } = newSigningKey(dir, { nowMs, expiresDays: numberFlag('--expires-days', f['expires-days']), replace: f.replace });
      const entry = list.body.keys.find((k) => k.id === keyId)!;
      console.log(`signing key ${keyId} expires ${iso(entry.expiresMs)} → ${keyPaths(dir).signingKey}`);
      console.log(`signing-key list v${list.body.version} (root v${list.body.rootVersion}) lists ${list.body.keys.map((k) => k.id).join(', ')}`);
      return 0;
    }
    case 'revoke': {
      const dir = need(f.dir, '--dir D', sub);
      const keyId = need(f['key-id'], '--key-id ID', sub);
      const r = revokeKey(dir, keyId, nowMs);
      console.log(`revoked ${keyId} in signing-key list v${r.list.body.version}${r.wasListed ? '' : ' (it was not listed)'}`);
      if (r.wasSigningKey) console.log(`the hub's signing key was ${keyId}: create a new one before building bundles (edgehive keys new-signing-key --dir ${dir})`);
      return 0;
    }
    case 'rotate-root': {
      const dir = need(f.dir, '--dir D', sub);
      const { root, list } = rotateRoot(dir, { nowMs, keys: intFlag('--keys', f.keys), threshold: intFlag('--threshold', f.threshold) });
      console.log(`root v${root.version}: ${root.threshold} of ${root.keys.length} keys → ${keyPaths(dir).root(root.version)}`);
      console.log(`root v${root.version - 1}'s private keys moved to ${keyPaths(dir).offline}/v${root.version - 1}`);
      if (list) console.log(`signing-key list re-signed as v${list.body.version} for root v${root.version}`);
      return 0;
    }
    case 'show':
      show(need(f.dir, '--dir D', sub), nowMs);
      return 0;
    case undefined:
    case 'help':
      console.log(usage('keys'));
      return 0;
    default:
      console.error(`edgehive keys: unknown subcommand "${sub}"\n\n${usage('keys')}`);
      return 2;
  }
}
