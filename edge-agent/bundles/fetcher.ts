/**
 * Downloads one bundle's chunks over MQTT. It subscribes to the exact chunk topics it still lacks,
 * at most `window` at a time, and unsubscribes from each as soon as its chunk is stored: with
 * retained chunks, a subscription is a request, and an agent that subscribed to a wildcard would
 * receive every chunk of every bundle again on each connect (the fan-out cost the hub and broker
 * pay once per device). A damaged chunk is dropped and requested again (unsubscribe, subscribe:
 * the broker re-sends the retained copy) a few times before the download fails.
 */
import { checkChunk } from '../../shared/bundle/index.ts';
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { BundleChunk } from '../../shared/protocol/messages.ts';
import type { FleetTopics } from '../../shared/protocol/topics.ts';
import type { ChunkStore } from './chunk-store.ts';

/** The part of the MQTT connection the fetcher needs; false: not connected (the fetcher asks again on 'up'). */
export interface ChunkLink {
  subscribe(topics: readonly string[]): boolean;
  unsubscribe(topics: readonly string[]): boolean;
}

export interface FetchPlan {
  readonly bundleId: string;
  readonly total: number;
  readonly bytes: number;
}

export interface FetcherOptions {
  readonly plan: FetchPlan;
  readonly topics: FleetTopics;
  readonly link: ChunkLink;
  readonly store: ChunkStore;
  /** Chunk topics subscribed at once. */
  readonly window: number;
  /** Bad copies of one chunk accepted before the download fails. */
  readonly maxBad?: number;
  /** Wait before re-requesting a bad chunk, times the number of bad copies so far. */
  readonly retryDelayMs?: number;
  /** After each chunk is stored (have, total). */
  readonly onStored: (index: number, have: number, total: number) => void;
  readonly onComplete: (have: ReadonlyMap<number, string>) => void;
  readonly onFailed: (e: EdgehiveError) => void;
  /** A bad chunk was dropped (counted; the download goes on unless it was the last straw). */
  readonly onBadChunk?: (index: number, e: EdgehiveError) => void;
}

export const DEFAULT_MAX_BAD = 3;

export interface FetcherCounters {
  /** Chunk messages received for this bundle, stored or not. */
  received: number;
  stored: number;
  duplicates: number;
  bad: number;
  /** Chunks found on disk at start (a resumed download). */
  resumed: number;
}

export class ChunkFetcher {
  readonly #o: FetcherOptions;
  readonly #have = new Map<number, string>();
  /** Indexes subscribed to (or to be subscribed on the next 'up'). */
  readonly #requested = new Set<number>();
  readonly #badCount = new Map<number, number>();
  readonly #retryTimers = new Set<NodeJS.Timeout>();
  #done = false;
  readonly counters: FetcherCounters = { received: 0, stored: 0, duplicates: 0, bad: 0, resumed: 0 };

  constructor(options: FetcherOptions) {
    this.#o = options;
  }

  get bundleId(): string { return this.#o.plan.bundleId; }
  get have(): number { return this.#have.size; }
  get total(): number { return this.#o.plan.total; }
  get finished(): boolean { return this.#done; }

  /** Takes the chunks already on disk, then requests the first missing ones. */
  start(): void {
    const stored = this.#o.store.list(this.bundleId, this.total);
    for (const [i, name] of stored.have) this.#have.set(i, name);
    this.counters.resumed = stored.have.size;
    if (this.#have.size === this.total) {
      this.#finish();
      return;
    }
    this.#fill();
  }

  /** The connection is back: every subscription went with the old session. */
  onUp(): void {
    if (this.#done) return;
    const topics = [...this.#requested].map((i) => this.#topic(i));
    if (topics.length > 0) this.#o.link.subscribe(topics);
    this.#fill();
  }

  /** A message on one of this bundle's chunk topics; `topicIndex` is the index its topic names. */
  onChunk(topicIndex: number, chunk: BundleChunk | EdgehiveError): void {
    if (this.#done) return;
    this.counters.received++;
    if (this.#have.has(topicIndex)) {
      this.counters.duplicates++;
      return;
    }
    try {
      if (chunk instanceof EdgehiveError) throw chunk;
      if (chunk.index !== topicIndex) {
        throw new EdgehiveError('EH_BUNDLE_CHUNK', `a chunk published on the topic of chunk ${topicIndex} says it is chunk ${chunk.index}; the hub published it under the wrong topic`);
      }
      checkChunk({ bundleId: chunk.bundleId, index: chunk.index, total: chunk.total, data: chunk.data, sha256: chunk.sha256 }, { bundleId: this.bundleId, total: this.total, bytes: this.#o.plan.bytes });
    } catch (e) {
      this.#bad(topicIndex, e instanceof EdgehiveError ? e : new EdgehiveError('EH_BUNDLE_CHUNK', `chunk ${topicIndex} cannot be used: ${(e as Error).message}`));
      return;
    }
    const name = this.#o.store.put(this.bundleId, topicIndex, chunk.data);
    this.#have.set(topicIndex, name);
    this.counters.stored++;
    if (this.#requested.delete(topicIndex)) this.#o.link.unsubscribe([this.#topic(topicIndex)]);
    this.#o.onStored(topicIndex, this.#have.size, this.total);
    if (this.#done) return;
    if (this.#have.size === this.total) this.#finish();
    else this.#fill();
  }

  /** Ends the download: unsubscribes from everything still requested. Chunks on disk stay. */
  stop(): void {
    this.#done = true;
    for (const t of this.#retryTimers) clearTimeout(t);
    this.#retryTimers.clear();
    const topics = [...this.#requested].map((i) => this.#topic(i));
    this.#requested.clear();
    if (topics.length > 0) this.#o.link.unsubscribe(topics);
  }

  #topic(index: number): string {
    return this.#o.topics.bundleChunk(this.bundleId, index);
  }

  #fill(): void {
    const want: string[] = [];
    for (let i = 0; i < this.total && this.#requested.size < this.#o.window; i++) {
      if (this.#have.has(i) || this.#requested.has(i)) continue;
      this.#requested.add(i);
      want.push(this.#topic(i));
    }
    if (want.length > 0) this.#o.link.subscribe(want);
  }

  #bad(index: number, e: EdgehiveError): void {
    this.counters.bad++;
    const n = (this.#badCount.get(index) ?? 0) + 1;
    this.#badCount.set(index, n);
    this.#o.onBadChunk?.(index, e);
    if (n >= (this.#o.maxBad ?? DEFAULT_MAX_BAD)) {
      this.stop();
      this.#o.onFailed(new EdgehiveError('EH_BUNDLE_CHUNK', `chunk ${index} of bundle ${this.bundleId.slice(0, 12)} was bad ${n} times in a row (last: ${e.message}); republish the bundle's chunks`, { index, ...(e.details ?? {}) }));
      return;
    }
    // A new SUBSCRIBE makes the broker send the retained copy again; the pause gives a publisher
    // that is replacing a damaged copy time to do so.
    if (!this.#requested.has(index)) return;
    const topic = this.#topic(index);
    this.#o.link.unsubscribe([topic]);
    const t = setTimeout(() => {
      this.#retryTimers.delete(t);
      if (!this.#done && this.#requested.has(index)) this.#o.link.subscribe([topic]);
    }, (this.#o.retryDelayMs ?? 250) * n);
    this.#retryTimers.add(t);
  }

  #finish(): void {
    this.stop();
    this.#o.onComplete(this.#have);
  }
}
