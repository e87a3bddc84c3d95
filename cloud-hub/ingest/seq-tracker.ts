/**
 * Highest committed sequence number per (device, stream), in memory: read from the store once
 * per stream, then moved forward after each commit. The ingest uses it to refuse a batch whose
 * first_seq jumps implausibly far ahead (a broken or hostile agent would otherwise push the
 * stream's high-water mark to 2^53 and wedge it).
 */
import type { Store } from '../store/types.ts';

export class SeqTracker {
  readonly #highest = new Map<string, number>();
  readonly #loading = new Map<string, Promise<void>>();

  constructor(private readonly store: Store) {}

  static key(device: string, stream: string): string {
    return `${device}\u0000${stream}`;
  }

  /** undefined until loaded. */
  get(key: string): number | undefined {
    return this.#highest.get(key);
  }

  load(key: string, device: string, stream: string): Promise<void> {
    let p = this.#loading.get(key);
    if (!p) {
      p = this.store.highestSeq(device, stream).then((h) => {
        this.committed(key, h);
      }).finally(() => this.#loading.delete(key));
      this.#loading.set(key, p);
    }
    return p;
  }

  committed(key: string, lastSeq: number): void {
    const h = this.#highest.get(key);
    if (h === undefined || lastSeq > h) this.#highest.set(key, lastSeq);
  }
}
