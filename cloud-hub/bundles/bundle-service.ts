/**
 * The hub's bundles: built from registry versions (one per variant the version's plan picks,
 * signed with the hub's online key, targeting every planned profile that gets that variant, so
 * one bundle serves every later deployment of it), or uploaded and checked against the hub's own
 * trust chain. Files under <dataDir>/bundles, records in store.rollouts; bundles never change.
 */
import {
  buildBundle, CHUNK_BYTES, recordHealthCheck, rootOf, sha256Hex, verifyOffline, type HubTrust,
} from '../../shared/bundle/index.ts';
import type { BundleTarget, SignedKeyList, SignedRoot } from '../../shared/bundle/schema.ts';
import { REFERENCE_STATS_FILE } from '../../shared/drift/schema.ts';
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { Logger } from '../../shared/log/logger.ts';
import type { Clock } from '../../shared/time/clock.ts';
import type { ModelRegistry } from '../registry/registry.ts';
import type { ModelVersion, VariantName } from '../registry/schema.ts';
import type { BundleRecord, RolloutStore } from '../store/rollout-store.ts';
import type { Store } from '../store/types.ts';
import type { BundleService } from './bundle-api.ts';
import type { BundleFiles } from './bundle-files.ts';
import { checkProfileFit, type ProfileLookup } from './fit.ts';
import { manifestFor, modelCard } from './manifest-from-version.ts';
import { healthCheckDims, modelIo } from './model-io.ts';
import { streamOfVersion } from './stream-of-version.ts';

export interface BundleSettings {
  fleet: string;
  /** Lifetime of a built bundle. */
  ttlMs: number;
  minAgentVersion: string;
  /** Stream named in the manifest when the version's data does not tell. */
  defaultStream: string;
  maxUploadBytes: number;
}

export interface BundleServiceDeps {
  store: Store;
  rollouts: RolloutStore;
  registry: ModelRegistry;
  files: BundleFiles;
  trust: HubTrust;
  profiles: ProfileLookup;
  clock: Clock;
  logger: Logger;
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const chunksOf = (bytes: number): number => Math.max(1, Math.ceil(bytes / CHUNK_BYTES));

export class HubBundleService implements BundleService {
  /** Builds under way per model/version/variant: two deployments asking at once get one bundle. */
  readonly #building = new Map<string, Promise<BundleRecord>>();

  constructor(private readonly settings: BundleSettings, private readonly deps: BundleServiceDeps) {}

  trust(): { roots: SignedRoot[]; keys: SignedKeyList } {
    return { roots: [...this.deps.trust.roots], keys: this.deps.trust.keys };
  }

  async get(id: string): Promise<BundleRecord | null> {
    return this.deps.rollouts.getBundle(id);
  }

  async read(id: string): Promise<Uint8Array> {
    const b = await this.deps.rollouts.getBundle(id);
    if (!b) throw new EdgehiveError('EH_NOT_FOUND', `bundle ${id} is not on this hub; GET /api/v1/bundles lists those that are`, { id });
    return this.deps.files.read(id, b.sha256);
  }

  /** Keyed by profile: each requested profile's bundle (profiles sharing a variant share one). */
  async bundlesForVersion(model: string, version: number, profiles: readonly string[]): Promise<Map<string, BundleRecord>> {
    const v = await this.deps.registry.getVersion(model, version);
    if (v.status !== 'ready') {
      throw new EdgehiveError('EH_STATE', `model ${model} version ${version} is ${v.status}${v.statusReason ? ` (${v.statusReason})` : ''}; only a ready version can be bundled`, { model, version, status: v.status });
    }
    if (profiles.length === 0) throw new EdgehiveError('EH_BAD_REQUEST', `no device profiles given for model ${model} version ${version}; name the profiles to build bundles for`);
    const byVariant = new Map<VariantName, string[]>();
    for (const profile of new Set(profiles)) {
      const entry = v.plan.find((e) => e.profile === profile);
      if (!entry) {
        const planned = v.plan.map((e) => e.profile).join(', ') || 'none';
        throw new EdgehiveError('EH_PROFILE_UNFIT', `model ${model} version ${version} has no plan for profile ${profile} (planned: ${planned}); train or upload the version again with that profile's file present`, { profile, model, version });
      }
      if (entry.variant === null) {
        throw new EdgehiveError('EH_PROFILE_UNFIT', `model ${model} version ${version} does not fit profile ${profile}: ${entry.reason}`, { profile, model, version, reason: entry.reason });
      }
      byVariant.set(entry.variant, [...(byVariant.get(entry.variant) ?? []), profile]);
    }
    const out = new Map<string, BundleRecord>();
    for (const [variant, wanted] of byVariant) {
      const bundle = await this.#bundleFor(v, variant, wanted);
      for (const profile of wanted) {
        this.checkFits(bundle, profile);
        out.set(profile, bundle);
      }
    }
    return out;
  }

  #bundleFor(v: ModelVersion, variant: VariantName, wanted: readonly string[]): Promise<BundleRecord> {
    const key = `${v.model}\u0000${v.version}\u0000${variant}`;
    const running = this.#building.get(key);
    if (running) return running;
    const p = this.#findOrBuild(v, variant, wanted).finally(() => this.#building.delete(key));
    this.#building.set(key, p);
    return p;
  }

  async #findOrBuild(v: ModelVersion, variant: VariantName, wanted: readonly string[]): Promise<BundleRecord> {
    const found = await this.deps.rollouts.findBundle(v.model, v.version, variant);
    // A bundle near its expiry would be refused by devices mid-rollout: build a fresh one.
    if (found && found.expiresMs - this.deps.clock.now() > this.settings.ttlMs / 10) return found;
    return this.#build(v, variant, wanted);
  }

  async #build(v: ModelVersion, variantName: VariantName, wanted: readonly string[]): Promise<BundleRecord> {
    const { registry, clock } = this.deps;
    const variant = v.variants.find((x) => x.variant === variantName);
    if (!variant || !variant.accepted) {
      throw new EdgehiveError('EH_STATE', `model ${v.model} version ${v.version} has no accepted ${variantName} variant${variant?.reason ? ` (${variant.reason})` : ''}, though its plan names it`, { model: v.model, version: v.version, variant: variantName });
    }
    const model = (await registry.readArtefact(v.model, v.version, variant.file)).bytes;
    const preprocess = await this.#preprocess(v);
    const reference = await this.#reference(v);
    const targets = this.#targets(v, variantName, model.length, wanted);
    const io = modelIo(model, `model ${v.model} version ${v.version} (${variant.file})`);
    const check = await recordHealthCheck(model, healthCheckDims(io.inputs[0]!));
    const stream = await streamOfVersion(this.deps.store, v, this.settings.defaultStream);
    if (stream.from === 'default') {
      this.deps.logger.warn({ model: v.model, version: v.version, stream: stream.stream }, 'no stored readings say which stream the model reads; the bundle names the default stream');
    }
    const createdMs = clock.now();
    const built = buildBundle({
      manifest: manifestFor({
        fleet: this.settings.fleet, version: v, variant, targets, stream: stream.stream, io, check,
        createdMs, ttlMs: this.settings.ttlMs, minAgentVersion: this.settings.minAgentVersion,
      }),
      artefacts: [
        { name: 'model.onnx', kind: 'model.onnx', data: model },
        { name: 'preprocess.json', kind: 'preprocess.json', data: preprocess },
        { name: 'model-card.md', kind: 'model-card.md', data: text(modelCard(v, variant, stream.stream)) },
        ...(reference ? [{ name: REFERENCE_STATS_FILE, kind: 'reference-stats' as const, data: reference }] : []),
      ],
      signer: this.deps.trust.signer,
      roots: this.deps.trust.roots,
      keys: this.deps.trust.keys,
    });
    await this.deps.files.write(built.id, built.bytes);
    const record: BundleRecord = {
      id: built.id, model: v.model, version: v.version, variant: variantName,
      profiles: built.manifest.targets.map((t) => t.profile),
      bytes: built.bytes.length, sha256: built.sha256, chunks: chunksOf(built.bytes.length),
      createdMs, expiresMs: built.manifest.expiresMs, manifest: built.manifest, origin: 'registry',
    };
    await this.deps.rollouts.putBundle(record);
    await this.deps.store.appendAudit({
      atMs: createdMs, actor: 'system', action: 'bundle.build', target: built.id,
      details: { model: v.model, version: v.version, variant: variantName, profiles: record.profiles, bytes: record.bytes },
    });
    this.deps.logger.info({ bundle: built.id, model: v.model, version: v.version, variant: variantName, bytes: record.bytes, profiles: record.profiles }, 'bundle built');
    return record;
  }

  /**
   * The version's reference statistics, when training computed them (versions trained before
   * drift monitoring, and uploaded models, have none: their bundles carry no drift reference).
   */
  async #reference(v: ModelVersion): Promise<Uint8Array | null> {
    if (!v.artefacts.some((a) => a.file === REFERENCE_STATS_FILE)) return null;
    return (await this.deps.registry.readArtefact(v.model, v.version, REFERENCE_STATS_FILE)).bytes;
  }

  /** The version's preprocess.json as registered, else its recorded spec. */
  async #preprocess(v: ModelVersion): Promise<Uint8Array> {
    if (v.artefacts.some((a) => a.file === 'preprocess.json')) {
      return (await this.deps.registry.readArtefact(v.model, v.version, 'preprocess.json')).bytes;
    }
    if (v.preprocess !== null && v.preprocess !== undefined) return text(JSON.stringify(v.preprocess, null, 2));
    throw new EdgehiveError('EH_STATE', `model ${v.model} version ${v.version} has no preprocessing spec; an agent could not feed the model`, { model: v.model, version: v.version });
  }

  /**
   * Every planned profile that gets this variant and whose file the hub has: the bundle then
   * serves later deployments to those profiles too. A requested profile whose file is missing
   * cannot get a latency budget and is refused.
   */
  #targets(v: ModelVersion, variant: VariantName, modelBytes: number, wanted: readonly string[]): BundleTarget[] {
    const targets: BundleTarget[] = [];
    for (const entry of v.plan.filter((e) => e.variant === variant)) {
      const profile = this.deps.profiles(entry.profile);
      if (!profile) {
        if (wanted.includes(entry.profile)) {
          throw new EdgehiveError('EH_PROFILE_UNFIT', `profile ${entry.profile} has no device profile file on this hub, so its latency budget is unknown; add device-profiles/${entry.profile}.json`, { profile: entry.profile });
        }
        continue;
      }
      const fit = checkProfileFit(profile, modelBytes);
      if (!fit.ok) {
        if (wanted.includes(entry.profile)) {
          throw new EdgehiveError('EH_PROFILE_UNFIT', `model ${v.model} version ${v.version} (${variant}) does not fit profile ${entry.profile}: ${fit.message}`, { profile: entry.profile, limit: fit.limit, bytes: modelBytes });
        }
        continue;
      }
      targets.push({ profile: profile.id, latencyBudgetMs: profile.inferenceLatencyBudgetMs });
    }
    return targets;
  }

  checkFits(bundle: BundleRecord, profile: string): void {
    const name = `bundle ${bundle.id.slice(0, 12)} (${bundle.model} v${bundle.version} ${bundle.variant})`;
    if (!bundle.manifest.targets.some((t) => t.profile === profile)) {
      throw new EdgehiveError('EH_PROFILE_UNFIT', `${name} targets ${bundle.manifest.targets.map((t) => t.profile).join(', ')}, not profile ${profile}; build or upload a bundle for ${profile}`, { bundle: bundle.id, profile });
    }
    const doc = this.deps.profiles(profile);
    // Without the profile's file only the target can be checked; the agent still checks its limits.
    if (!doc) return;
    const fit = checkProfileFit(doc, bundle.bytes);
    if (!fit.ok) {
      throw new EdgehiveError('EH_PROFILE_UNFIT', `${name} does not fit profile ${profile}: ${fit.message}`, { bundle: bundle.id, profile, limit: fit.limit, bytes: bundle.bytes });
    }
  }

  async upload(bytes: Uint8Array, actor: string): Promise<BundleRecord> {
    const max = this.settings.maxUploadBytes;
    if (bytes.length > max) {
      throw new EdgehiveError('EH_PAYLOAD_TOO_LARGE', `bundle of ${bytes.length} bytes is over the hub's limit of ${max} (bundles.maxUploadBytes)`, { bytes: bytes.length, limit: max });
    }
    const nowMs = this.deps.clock.now();
    const trust = this.deps.trust;
    const verified = verifyOffline(bytes, rootOf(trust), { nowMs, fleet: this.settings.fleet });
    const list = verified.block.keys.body;
    // Devices that already hold the hub's newer list would refuse an older one as a rollback (and
    // a list at least as new as the hub's carries its revocations, which verifyOffline applied).
    if (list.version < trust.keys.body.version) {
      throw new EdgehiveError('EH_BUNDLE_TRUST_STALE', `bundle carries signing-key list v${list.version} but this hub's is v${trust.keys.body.version}; rebuild it with the current list (GET /api/v1/keys)`, { version: list.version, current: trust.keys.body.version });
    }
    const existing = await this.deps.rollouts.getBundle(verified.id);
    if (existing) return existing;
    const m = verified.manifest;
    const record: BundleRecord = {
      id: verified.id, model: m.model, version: m.version, variant: m.variant,
      profiles: m.targets.map((t) => t.profile),
      bytes: bytes.length, sha256: sha256Hex(bytes), chunks: chunksOf(bytes.length),
      createdMs: m.createdMs, expiresMs: m.expiresMs, manifest: m, origin: 'upload',
    };
    await this.deps.files.write(record.id, bytes);
    await this.deps.rollouts.putBundle(record);
    await this.deps.store.appendAudit({
      atMs: nowMs, actor, action: 'bundle.upload', target: record.id,
      details: { model: m.model, version: m.version, variant: m.variant, profiles: record.profiles, bytes: record.bytes, signedBy: verified.signedBy },
    });
    this.deps.logger.info({ bundle: record.id, model: m.model, version: m.version, actor }, 'bundle uploaded');
    return record;
  }
}
