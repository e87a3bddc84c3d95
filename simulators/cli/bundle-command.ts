/**
 * `edgehive bundle build|inspect|verify`: make a signed bundle from a model file, show what a
 * bundle holds, and check one the way an agent would, from a root file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import {
  buildBundle, checkRootBody, decodeBundle, loadHubTrust, recordModelCheck, verifyOffline,
  RootBodySchema, SignedRootSchema, type ArtefactKind, type BundleTarget, type RootBody,
} from '../../shared/bundle/index.ts';
import { parseWithSchema } from '../../shared/config/validate.ts';
import { EdgehiveError, isEdgehiveError } from '../../shared/errors/index.ts';
import { systemClock, type Clock } from '../../shared/time/clock.ts';
import { numberFlag } from './flags.ts';
import { parseFlags } from './keys-command.ts';
import { usage } from './usage.ts';

const DAY_MS = 86_400_000;
const TASKS = ['anomaly', 'forecast', 'classify'] as const;
const iso = (ms: number): string => new Date(ms).toISOString();

function need(v: string | undefined, flag: string, command: string): string {
  if (v === undefined || v === '') throw new EdgehiveError('EH_CONFIG_INVALID', `edgehive bundle ${command} needs ${flag}`);
  return v;
}

function readBytes(path: string, what: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new EdgehiveError('EH_NOT_FOUND', `cannot read ${what} ${path}: ${(e as Error).message}`);
  }
}

/** "rpi4:25" → { profile: 'rpi4', latencyBudgetMs: 25 }. */
export function parseTarget(s: string): BundleTarget {
  const m = /^([A-Za-z0-9_-]{1,64}):([0-9]+(?:\.[0-9]+)?)$/.exec(s);
  if (!m || !(Number(m[2]) > 0)) throw new EdgehiveError('EH_CONFIG_INVALID', `--profile must be PROFILE:BUDGET_MS (e.g. rpi4:25), got ${JSON.stringify(s)}`);
  return { profile: m[1]!, latencyBudgetMs: Number(m[2]) };
}

export function parseDims(s: string): number[] {
  const dims = s.split(',').map((x) => Number(x.trim()));
  if (dims.length === 0 || dims.some((d) => !Number.isInteger(d) || d < 1)) throw new EdgehiveError('EH_CONFIG_INVALID', `--input-dims must be positive whole numbers separated by commas (e.g. 1,16,4), got ${JSON.stringify(s)}`);
  return dims;
}

async function build(argv: string[], nowMs: number): Promise<number> {
  const { values: f } = parseFlags(argv, {
    keys: { type: 'string' }, model: { type: 'string' }, preprocess: { type: 'string' }, card: { type: 'string' },
    name: { type: 'string' }, version: { type: 'string' }, fleet: { type: 'string' }, profile: { type: 'string', multiple: true },
    stream: { type: 'string' }, task: { type: 'string' }, 'input-dims': { type: 'string' }, 'expires-days': { type: 'string' },
    'min-agent': { type: 'string', default: '0.1.0' }, variant: { type: 'string', default: 'fp32' }, out: { type: 'string' },
  }, 'bundle build');
  const c = 'build';
  const task = need(f.task, '--task anomaly|forecast|classify', c);
  if (!(TASKS as readonly string[]).includes(task)) throw new EdgehiveError('EH_CONFIG_INVALID', `--task must be one of ${TASKS.join(', ')}, got ${JSON.stringify(task)}`);
  const version = numberFlag('--version', need(f.version, '--version N', c))!;
  if (!Number.isInteger(version) || version < 1) throw new EdgehiveError('EH_CONFIG_INVALID', `--version must be a whole number >= 1, got ${f.version}`);
  const days = numberFlag('--expires-days', f['expires-days']) ?? 30;
  if (!(days > 0)) throw new EdgehiveError('EH_CONFIG_INVALID', `--expires-days must be above 0, got ${f['expires-days']}`);
  const targets = (f.profile ?? []).map(parseTarget);
  if (targets.length === 0) throw new EdgehiveError('EH_CONFIG_INVALID', 'edgehive bundle build needs at least one --profile PROFILE:BUDGET_MS');
  const out = need(f.out, '--out FILE.ehb', c);
  const trust = loadHubTrust(need(f.keys, '--keys DIR', c), nowMs);
  const model = readBytes(need(f.model, '--model model.onnx', c), 'model');
  const artefacts: Array<{ name: string; kind: ArtefactKind; data: Uint8Array }> = [{ name: 'model.onnx', kind: 'model.onnx', data: model }];
  if (f.preprocess !== undefined) artefacts.push({ name: 'preprocess.json', kind: 'preprocess.json', data: readBytes(f.preprocess, 'preprocessing spec') });
  if (f.card !== undefined) artefacts.push({ name: 'model-card.md', kind: 'model-card.md', data: readBytes(f.card, 'model card') });
  const io = await recordModelCheck(model, parseDims(need(f['input-dims'], '--input-dims 1,16,4', c)));
  const built = buildBundle({
    manifest: {
      fleet: need(f.fleet, '--fleet F', c),
      model: need(f.name, '--name NAME', c),
      version,
      createdMs: nowMs,
      expiresMs: Math.round(nowMs + days * DAY_MS),
      targets,
      minAgentVersion: f['min-agent'],
      variant: f.variant,
      task: task as (typeof TASKS)[number],
      stream: need(f.stream, '--stream S', c),
      inputs: io.inputs,
      outputs: io.outputs,
      metrics: {},
      check: io.check,
      source: { modelVersion: null, jobId: null },
    },
    artefacts,
    signer: trust.signer,
    roots: trust.roots,
    keys: trust.keys,
  });
  writeFileSync(out, built.bytes);
  console.log(`bundle ${built.id}`);
  console.log(`  ${built.manifest.model} v${built.manifest.version} for ${targets.map((t) => t.profile).join(', ')}, expires ${iso(built.manifest.expiresMs)}`);
  console.log(`  ${built.bytes.length} bytes, sha256 ${built.sha256}`);
  console.log(`  signed by ${trust.signer.keyId} → ${out}`);
  return 0;
}

function inspect(argv: string[]): number {
  const { values: f, positionals } = parseFlags(argv, { json: { type: 'boolean', default: false } }, 'bundle inspect');
  const file = need(positionals[0], 'a bundle file', 'inspect');
  const parts = decodeBundle(readBytes(file, 'bundle'));
  const m = parts.manifest;
  if (f.json) {
    console.log(JSON.stringify({ id: parts.id, bytes: readFileSync(file).length, manifest: m, signatures: parts.block.signatures.map((s) => s.keyId), roots: parts.block.roots.map((r) => r.body.version), keyList: parts.block.keys.body.version }, null, 2));
    return 0;
  }
  console.log(`bundle ${parts.id} (${readFileSync(file).length} bytes; not verified, use edgehive bundle verify)`);
  console.log(`  model ${m.model} v${m.version} (${m.variant}, ${m.task} on stream ${m.stream}), fleet ${m.fleet}`);
  console.log(`  created ${iso(m.createdMs)}, expires ${iso(m.expiresMs)}, needs agent ${m.minAgentVersion}+`);
  console.log(`  targets: ${m.targets.map((t) => `${t.profile} (budget ${t.latencyBudgetMs} ms)`).join(', ')}`);
  console.log(`  input ${m.inputs.map((t) => `${t.name} [${t.dims.join(', ')}]`).join(', ')} → output ${m.outputs.map((t) => `${t.name} [${t.dims.join(', ')}]`).join(', ')}`);
  console.log(`  health check: input [${m.check.inputDims.join(', ')}], tolerance ${m.check.tolerance}, ${m.check.runs} runs`);
  console.log('  artefacts:');
  for (const a of m.artefacts) console.log(`    ${a.name} (${a.kind}) ${a.bytes} bytes sha256 ${a.sha256}`);
  console.log(`  signed by: ${parts.block.signatures.map((s) => s.keyId).join(', ') || 'nobody (unsigned)'}`);
  const k = parts.block.keys.body;
  console.log(`  trust chain: roots ${parts.block.roots.map((r) => `v${r.body.version}`).join(', ') || 'none'}; signing-key list v${k.version} (root v${k.rootVersion}, expires ${iso(k.expiresMs)}), ${k.keys.length} keys, ${k.revoked.length} revoked`);
  return 0;
}

/** A root file: a signed root as in the hub's roots/ directory, or a bare root body as agents are provisioned. */
export function readRootFile(path: string): RootBody {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new EdgehiveError('EH_CONFIG_INVALID', `cannot read root file ${path}: ${(e as Error).message}`);
  }
  const body = typeof doc === 'object' && doc !== null && 'body' in doc
    ? parseWithSchema(SignedRootSchema, doc, `root file ${path}`).body
    : parseWithSchema(RootBodySchema, doc, `root file ${path}`);
  checkRootBody(body);
  return body;
}

function verify(argv: string[], nowMs: number): number {
  const { values: f, positionals } = parseFlags(argv, {
    root: { type: 'string' }, fleet: { type: 'string' }, profile: { type: 'string' }, 'agent-version': { type: 'string' },
  }, 'bundle verify');
  const file = need(positionals[0], 'a bundle file', 'verify');
  const root = readRootFile(need(f.root, '--root root-1.json', 'verify'));
  const bytes = readBytes(file, 'bundle');
  try {
    const v = verifyOffline(bytes, root, {
      nowMs,
      ...(f.fleet !== undefined ? { fleet: f.fleet } : {}),
      ...(f.profile !== undefined ? { profile: f.profile } : {}),
      ...(f['agent-version'] !== undefined ? { agentVersion: f['agent-version'] } : {}),
    });
    console.log('valid');
    console.log(`  bundle ${v.id}: ${v.manifest.model} v${v.manifest.version}, signed by ${v.signedBy}, trusted via root v${v.trust.root.version} and signing-key list v${v.trust.keyListVersion}`);
    return 0;
  } catch (e) {
    if (!isEdgehiveError(e)) throw e;
    console.log(`refused [${e.code}]: ${e.message}`);
    return 1;
  }
}

export async function runBundleCommand(argv: string[], clock: Clock = systemClock): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'build': return build(rest, clock.now());
    case 'inspect': return inspect(rest);
    case 'verify': return verify(rest, clock.now());
    case undefined:
    case 'help':
      console.log(usage('bundle'));
      return 0;
    default:
      console.error(`edgehive bundle: unknown subcommand "${sub}"\n\n${usage('bundle')}`);
      return 2;
  }
}
