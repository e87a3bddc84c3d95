/**
 * Device status (birth and last will, both retained): online state, agent version, profile and
 * active bundle, applied in arrival order, one store write at a time. Arrival order is the
 * broker's order, which is right even for a session takeover: the broker closes the old
 * connection (publishing its will) before it accepts the new one that sends the next birth.
 * Message timestamps are not compared: a will carries the time its connection was made, which
 * is older than the birth sent on that same connection.
 */
import type { Logger } from '../../shared/log/logger.ts';
import type { Clock } from '../../shared/time/clock.ts';
import type { DeviceStatus } from '../../shared/protocol/messages.ts';
import type { CachedDevice, DeviceCache } from '../devices/device-cache.ts';
import type { Store } from '../store/types.ts';

export class StatusHandler {
  #chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly devices: DeviceCache,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  apply(device: CachedDevice, m: DeviceStatus): void {
    this.devices.setOnline(device, m.online);
    const update = {
      online: m.online,
      atMs: this.clock.now(),
      ...(m.agentVersion ? { agentVersion: m.agentVersion } : {}),
      ...(m.profile ? { profile: m.profile } : {}),
      ...(m.activeBundle ? { activeBundle: m.activeBundle } : {}),
    };
    this.#chain = this.#chain.then(() => this.store.setDeviceStatus(device.id, update)).catch((e: unknown) => {
      this.logger.error({ err: e, device: device.id }, 'storing device status failed');
    });
    this.logger.debug({ device: device.id, online: m.online, agentVersion: m.agentVersion || undefined }, m.online ? 'device online' : 'device offline');
  }

  /** Waits for the status writes queued so far. */
  settled(): Promise<void> {
    return this.#chain;
  }
}
