/**
 * What the agent trusts: the fleet's root from provisioning (config.bundles.root or rootFile),
 * and what it has learnt since (newer roots, the highest signing-key list and bundle version per
 * model), persisted in dataDir/bundles/trust.json. Forgetting the highest versions would reopen
 * replay and downgrade, so the file is written atomically and only after a bundle verifies.
 */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { checkRootBody, RootBodySchema, type RootBody, type TrustState } from '../../shared/bundle/index.ts';
import type { AgentConfig } from '../../shared/config/agent-config.ts';
import { parseWithSchema } from '../../shared/config/validate.ts';
import { EdgehiveError } from '../../shared/errors/index.ts';
import { writeFileAtomic } from './atomic-file.ts';

export const TRUST_FILE = 'trust.json';

const TrustStateSchema = Type.Object({
  root: RootBodySchema,
  keyListVersion: Type.Integer({ minimum: 0 }),
  highestVersion: Type.Record(Type.String(), Type.Integer({ minimum: 0 })),
}, { additionalProperties: false });

/** The root the device was provisioned with; a rootFile may hold the body or a signed root document. */
export function provisionedRoot(bundles: AgentConfig['bundles'], fleet: string): RootBody {
  let root: unknown = bundles.root;
  if (root === undefined && bundles.rootFile !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(bundles.rootFile, 'utf8')) as unknown;
    } catch (e) {
      throw new EdgehiveError('EH_CONFIG_INVALID', `bundles.rootFile ${bundles.rootFile} cannot be read as JSON: ${(e as Error).message}; provision the device with the fleet's root (edgehive keys show)`, undefined, { cause: e });
    }
    root = typeof json === 'object' && json !== null && 'body' in json ? (json as { body: unknown }).body : json;
  }
  if (root === undefined) {
    throw new EdgehiveError('EH_BUNDLE_KEY_UNKNOWN', 'no trusted root: provision the device with the fleet\'s root keys (bundles.root or bundles.rootFile in the agent config)');
  }
  const body = parseWithSchema(RootBodySchema, root, 'bundles root', 'EH_CONFIG_INVALID');
  checkRootBody(body, 'provisioned root');
  if (body.fleet !== fleet) {
    throw new EdgehiveError('EH_CONFIG_INVALID', `the provisioned root is for fleet ${body.fleet} but this agent is in fleet ${fleet}; provision it with its own fleet's root`);
  }
  return body;
}

const sameKeys = (a: RootBody, b: RootBody): boolean => JSON.stringify(a.keys) === JSON.stringify(b.keys) && a.threshold === b.threshold;

/**
 * The persisted state for this root. A newer provisioned root replaces the learnt one but keeps
 * the version history; a different root at the same version (the device was re-provisioned into
 * another trust chain) starts afresh.
 */
export function mergeProvisioned(saved: TrustState | null, root: RootBody): TrustState {
  if (saved === null || saved.root.fleet !== root.fleet) return { root, keyListVersion: 0, highestVersion: {} };
  if (saved.root.version > root.version) return saved;
  if (saved.root.version === root.version && sameKeys(saved.root, root)) return saved;
  if (saved.root.version === root.version) return { root, keyListVersion: 0, highestVersion: {} };
  return { ...saved, root };
}

/** Raises the highest version per model to at least what the slots hold (a kill between the swap and the trust write). */
export function withFloor(state: TrustState, installed: ReadonlyArray<{ model: string; version: number }>): TrustState {
  let highestVersion = state.highestVersion;
  for (const b of installed) {
    const have = Object.hasOwn(highestVersion, b.model) ? highestVersion[b.model]! : 0;
    if (b.version > have) highestVersion = { ...highestVersion, [b.model]: b.version };
  }
  return highestVersion === state.highestVersion ? state : { ...state, highestVersion };
}

export class TrustStore {
  readonly file: string;
  constructor(readonly dir: string) {
    this.file = join(dir, TRUST_FILE);
  }

  /** The saved state; null when none. A damaged file is moved aside and reported (the slots' versions then floor the history). */
  load(onCorrupt: (why: string, movedTo: string) => void): TrustState | null {
    if (!existsSync(this.file)) return null;
    try {
      return parseWithSchema(TrustStateSchema, JSON.parse(readFileSync(this.file, 'utf8')) as unknown, this.file);
    } catch (e) {
      const aside = `${this.file}.corrupt-${Date.now()}`;
      renameSync(this.file, aside);
      onCorrupt((e as Error).message, aside);
      return null;
    }
  }

  save(state: TrustState): void {
    writeFileAtomic(this.file, `${JSON.stringify(state, null, 1)}\n`);
  }
}
