/**
 * What the broker and the ingest need to know about devices, in memory: the public key (auth),
 * existence (ingest), online state (metrics), and the replay guard. Loaded from the store at
 * start, updated at provisioning; a miss asks the store once (another hub process may have
 * provisioned the device) and remembers a negative answer briefly.
 */
import type { Clock } from '../../shared/time/clock.ts';
import type { DeviceRecord, Store } from '../store/types.ts';

export interface CachedDevice {
  readonly id: string;
  publicKey: Uint8Array;
  online: boolean;
  /** Newest MQTT auth timestamp accepted (replay guard). */
  lastAuthTsMs: number;
}

const NEGATIVE_TTL_MS = 5_000;
const PAGE = 1000;

export class DeviceCache {
  readonly #devices = new Map<string, CachedDevice>();
  readonly #unknownUntil = new Map<string, number>();
  #online = 0;

  constructor(private readonly store: Store, private readonly clock: Clock) {}

  async load(): Promise<DeviceRecord[]> {
    const all: DeviceRecord[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await this.store.listDevices({ limit: PAGE, offset });
      for (const d of page) this.put(d);
      all.push(...page);
      if (page.length < PAGE) return all;
    }
  }

  put(d: DeviceRecord): CachedDevice {
    const existing = this.#devices.get(d.id);
    if (existing) {
      existing.publicKey = d.publicKey;
      return existing;
    }
    const c: CachedDevice = { id: d.id, publicKey: d.publicKey, online: false, lastAuthTsMs: 0 };
    this.#devices.set(d.id, c);
    this.#unknownUntil.delete(d.id);
    this.setOnline(c, d.online);
    return c;
  }

  /** Synchronous hit or miss, for the hot path. */
  get(id: string): CachedDevice | undefined {
    return this.#devices.get(id);
  }

  /** Cache first, then the store; null when the device is not provisioned. */
  async lookup(id: string): Promise<CachedDevice | null> {
    const hit = this.#devices.get(id);
    if (hit) return hit;
    const until = this.#unknownUntil.get(id);
    if (until !== undefined && until > this.clock.now()) return null;
    const record = await this.store.getDevice(id);
    if (!record) {
      if (this.#unknownUntil.size > 10_000) this.#unknownUntil.clear();
      this.#unknownUntil.set(id, this.clock.now() + NEGATIVE_TTL_MS);
      return null;
    }
    return this.put(record);
  }

  setOnline(d: CachedDevice, online: boolean): void {
    if (d.online === online) return;
    d.online = online;
    this.#online += online ? 1 : -1;
  }

  get onlineCount(): number {
    return this.#online;
  }

  *all(): IterableIterator<CachedDevice> {
    yield* this.#devices.values();
  }
}
