/** Protocol limits. A message past any of them is rejected whole, with the limit named. */
export const Limits = {
  /** Largest payload of any topic: a 256 KiB bundle chunk plus its header fits. */
  maxPayloadBytes: 320 * 1024,
  maxReadingsPerBatch: 20_000,
  maxFeatures: 256,
  maxEventsPerMessage: 10_000,
  maxChunkBytes: 256 * 1024,
  maxChunks: 100_000,
  /** Sequence numbers stay exact in a double. */
  maxSeq: Number.MAX_SAFE_INTEGER,
  /** Timestamps between 2000-01-01 and 2200-01-01. */
  minTsMs: 946_684_800_000,
  maxTsMs: 7_258_118_400_000,
} as const;
