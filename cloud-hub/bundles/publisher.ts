/**
 * The hub's half of the device twin over MQTT: desired states retained on d/{device}/desired,
 * and the chunks of every bundle they name retained on bundles/{id}/{n} (DESIGN.md "Wire
 * protocol"). Chunks go out before the first desired state naming their bundle, so a device
 * never waits on chunks that are not there; garbage collection clears the chunks of bundles no
 * desired state names any more, as its bundle or as its shadow (a challenger, cloud-hub/shadow).
 *
 * Desired-state changes run concurrently; garbage collection and republishing run alone (a
 * simple shared/exclusive gate), so neither clears chunks a desired state being set needs, nor
 * republishes a state older than one just set.
 */
import { splitBundle, CHUNK_BYTES } from '../../shared/bundle/index.ts';
import type { Logger } from '../../shared/log/logger.ts';
import { encode } from '../../shared/protocol/codec.ts';
import { topicsFor, type FleetTopics } from '../../shared/protocol/topics.ts';
import type { Clock } from '../../shared/time/clock.ts';
import type { BundleRecord, DesiredRecord, RolloutStore } from '../store/rollout-store.ts';
import type { BundleService, DesiredPublisher } from './bundle-api.ts';

/** The transport side: ingest/transport.ts's publishRetained. */
export interface RetainedPublisher {
  publishRetained(topic: string, payload: Uint8Array): Promise<void>;
}

export interface PublisherDeps {
  fleet: string;
  transport: RetainedPublisher;
  rollouts: RolloutStore;
  bundles: Pick<BundleService, 'get' | 'read'>;
  clock: Clock;
  logger: Logger;
  /**
   * The first garbage collection also clears the chunks of every stored bundle no desired state
   * names: an external broker keeps retained messages across hub restarts, so an earlier hub
   * process may have left some. Pointless on the embedded broker, which starts empty.
   */
  sweepStale?: boolean;
}

/** Chunk publishes in flight at once: keeps the broker busy without queueing a whole bundle in memory twice. */
const CHUNK_WINDOW = 8;
const EMPTY = new Uint8Array(0);

export class MqttDesiredPublisher implements DesiredPublisher {
  readonly #topics: FleetTopics;
  /** Bundles whose chunks this process has published (or is publishing), with their chunk count. */
  readonly #published = new Map<string, { chunks: number; done: Promise<void> }>();
  #chunkBytes = 0;
  /** setDesired calls running; the exclusive side waits for 0. */
  #shared = 0;
  #sharedIdle: (() => void) | null = null;
  #exclusive: Promise<void> | null = null;
  #swept: boolean;

  constructor(private readonly deps: PublisherDeps) {
    this.#topics = topicsFor(deps.fleet);
    this.#swept = !deps.sweepStale;
  }

  get chunkBytesPublished(): number {
    return this.#chunkBytes;
  }

  async setDesired(device: string, bundle: BundleRecord | null, deploymentId: string | null, shadow: BundleRecord | null = null): Promise<void> {
    while (this.#exclusive) await this.#exclusive;
    this.#shared++;
    try {
      const record: DesiredRecord = { device, bundleId: bundle?.id ?? null, deploymentId, setMs: this.deps.clock.now(), shadowBundleId: shadow?.id ?? null };
      if (bundle) await this.#ensureChunks(bundle);
      if (shadow) await this.#ensureChunks(shadow);
      await this.deps.rollouts.setDesired(record);
      await this.#publishDesired(record, bundle, shadow);
    } finally {
      if (--this.#shared === 0) this.#sharedIdle?.();
    }
  }

  async collectGarbage(): Promise<string[]> {
    return this.#alone(async () => {
      const named = new Set((await this.deps.rollouts.listDesired()).flatMap((d) => [d.bundleId, d.shadowBundleId ?? null]).filter((id): id is string => id !== null));
      const unused = new Map<string, number>();
      for (const [id, p] of this.#published) if (!named.has(id)) unused.set(id, p.chunks);
      if (!this.#swept) {
        for (const b of await this.deps.rollouts.listBundles()) if (!named.has(b.id) && !unused.has(b.id)) unused.set(b.id, b.chunks);
      }
      const cleared: string[] = [];
      for (const [id, chunks] of unused) {
        await this.#clearChunks(id, chunks);
        this.#published.delete(id);
        cleared.push(id);
      }
      this.#swept = true;
      if (cleared.length > 0) this.deps.logger.info({ bundles: cleared.length }, 'cleared the chunks of bundles no device is asked to run');
      return cleared;
    });
  }

  async republishAll(): Promise<void> {
    return this.#alone(async () => {
      const all = await this.deps.rollouts.listDesired();
      let failed = 0;
      for (const d of all) {
        const bundle = d.bundleId ? await this.deps.bundles.get(d.bundleId) : null;
        const shadow = d.shadowBundleId ? await this.deps.bundles.get(d.shadowBundleId) : null;
        const lost = d.bundleId && !bundle ? d.bundleId : d.shadowBundleId && !shadow ? d.shadowBundleId : null;
        if (lost) {
          failed++;
          this.deps.logger.error({ device: d.device, bundle: lost }, 'the desired state names a bundle this hub no longer has; set the device\'s desired state again');
          continue;
        }
        if (bundle) await this.#ensureChunks(bundle);
        if (shadow) await this.#ensureChunks(shadow);
        await this.#publishDesired(d, bundle, shadow);
      }
      this.deps.logger.info({ desired: all.length - failed, bundles: this.#published.size }, 'desired states and their bundle chunks republished');
    });
  }

  /** Runs `fn` with no setDesired in flight and none starting. */
  async #alone<T>(fn: () => Promise<T>): Promise<T> {
    while (this.#exclusive) await this.#exclusive;
    let release!: () => void;
    this.#exclusive = new Promise<void>((resolve) => { release = resolve; });
    try {
      while (this.#shared > 0) await new Promise<void>((resolve) => { this.#sharedIdle = resolve; });
      this.#sharedIdle = null;
      return await fn();
    } finally {
      this.#exclusive = null;
      release();
    }
  }

  #ensureChunks(bundle: BundleRecord): Promise<void> {
    const known = this.#published.get(bundle.id);
    if (known) return known.done;
    const done = this.#publishChunks(bundle);
    this.#published.set(bundle.id, { chunks: bundle.chunks, done });
    // A failed publish is retried by the next setDesired naming the bundle.
    done.catch(() => { if (this.#published.get(bundle.id)?.done === done) this.#published.delete(bundle.id); });
    return done;
  }

  async #publishChunks(bundle: BundleRecord): Promise<void> {
    const bytes = await this.deps.bundles.read(bundle.id);
    const chunks = splitBundle(bytes, CHUNK_BYTES);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < chunks.length) {
        const c = chunks[next++]!;
        const payload = encode('bundle-chunk', { bundleId: bundle.id, index: c.index, total: c.total, data: c.data, sha256: c.sha256 });
        await this.deps.transport.publishRetained(this.#topics.bundleChunk(bundle.id, c.index), payload);
        this.#chunkBytes += payload.length;
      }
    };
    await Promise.all(Array.from({ length: Math.min(CHUNK_WINDOW, chunks.length) }, worker));
    this.deps.logger.debug({ bundle: bundle.id, chunks: chunks.length, bytes: bytes.length }, 'bundle chunks published');
  }

  async #clearChunks(id: string, chunks: number): Promise<void> {
    for (let i = 0; i < chunks; i++) await this.deps.transport.publishRetained(this.#topics.bundleChunk(id, i), EMPTY);
  }

  async #publishDesired(d: DesiredRecord, bundle: BundleRecord | null, shadow: BundleRecord | null): Promise<void> {
    const payload = encode('desired', {
      tsMs: d.setMs,
      ...(bundle ? {
        bundleId: bundle.id, bundleChunks: bundle.chunks, bundleBytes: bundle.bytes, bundleSha256: bundle.sha256,
        model: bundle.model, bundleVersion: bundle.version,
      } : {}),
      ...(shadow ? {
        shadowBundleId: shadow.id, shadowBundleChunks: shadow.chunks, shadowBundleBytes: shadow.bytes, shadowBundleSha256: shadow.sha256,
      } : {}),
      ...(d.deploymentId ? { deploymentId: d.deploymentId } : {}),
    });
    await this.deps.transport.publishRetained(this.#topics.device(d.device, 'desired'), payload);
  }
}
