/**
 * Acked sequence ranges of one stream, merged. The hub acks what it stored; when its acks split
 * or join what the agent sent, the union still tells which outbox rows are wholly acked.
 */
export class AckRanges {
  /** Sorted, disjoint, non-adjacent [from, to] pairs. */
  #ranges: Array<[number, number]> = [];

  /** Adds [from, to] and returns the merged range that now contains it. */
  add(from: number, to: number): [number, number] {
    let lo = from;
    let hi = to;
    const keep: Array<[number, number]> = [];
    for (const r of this.#ranges) {
      if (r[1] + 1 < lo || r[0] > hi + 1) keep.push(r);
      else {
        lo = Math.min(lo, r[0]);
        hi = Math.max(hi, r[1]);
      }
    }
    const merged: [number, number] = [lo, hi];
    keep.push(merged);
    keep.sort((a, b) => a[0] - b[0]);
    this.#ranges = keep;
    return merged;
  }

  /** Forgets ranges wholly below `seq` (no outbox row can need them any more). */
  pruneBelow(seq: number): void {
    this.#ranges = this.#ranges.filter((r) => r[1] >= seq);
    // An agent offline for long collects no acks; one that gets odd acks keeps a bounded list.
    if (this.#ranges.length > 1024) this.#ranges = this.#ranges.slice(-1024);
  }

  get size(): number { return this.#ranges.length; }
}
