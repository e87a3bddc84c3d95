/**
 * Fleet progress, printed every few seconds: devices online, readings stored per second, outbox
 * backlog. Hub figures come from the in-process hub or from its Prometheus /metrics.
 */
import type { Clock } from '../../shared/time/clock.ts';
import type { Fleet } from './fleet.ts';

export interface HubFigures { devicesOnline: number; readingsStored: number }

export type HubFiguresSource = () => Promise<HubFigures | null>;

/** Reads `edgehive_devices_online` and `edgehive_readings_stored_total` from a hub's /metrics. */
export function prometheusFigures(apiUrl: string, token: string | undefined): HubFiguresSource {
  const url = new URL('/metrics', apiUrl).toString();
  return async () => {
    try {
      const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(1500) });
      if (!res.ok) return null;
      const text = await res.text();
      const pick = (name: string) => {
        const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, 'm').exec(text);
        return m ? Number(m[1]) : NaN;
      };
      const f = { devicesOnline: pick('edgehive_devices_online'), readingsStored: pick('edgehive_readings_stored_total') };
      return Number.isFinite(f.readingsStored) ? f : null;
    } catch {
      return null;
    }
  };
}

export interface ProgressLine {
  wallS: number;
  fleetTimeMs: number;
  devices: number;
  running: number;
  online: number | null;
  storedPerS: number | null;
  storedTotal: number | null;
  backlogRecords: number;
  backlogReadings: number;
}

export function formatProgress(p: ProgressLine): string {
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  const fleet = new Date(p.fleetTimeMs).toISOString().slice(0, 16).replace('T', ' ');
  const online = p.online === null ? `? of ${p.devices}` : `${p.online}/${p.devices}`;
  const stored = p.storedPerS === null ? 'hub unreachable' : `${n(p.storedPerS)}/s (total ${n(p.storedTotal ?? 0)})`;
  const down = p.running < p.devices ? ` | agents down ${p.devices - p.running}` : '';
  return `[${String(Math.round(p.wallS)).padStart(5)} s] fleet ${fleet} | online ${online} | stored ${stored} | outbox ${n(p.backlogRecords)} records, ${n(p.backlogReadings)} readings${down}`;
}

export class ProgressReporter {
  #timer: NodeJS.Timeout | null = null;
  #last: { atMs: number; stored: number } | null = null;
  readonly #startMs = Date.now();

  constructor(private readonly fleet: Fleet, private readonly hub: HubFiguresSource, private readonly fleetClock: Clock,
    private readonly print: (line: string) => void = (l) => console.log(l)) {}

  start(everyMs = 2000): void {
    void this.sample(); // the baseline for the first rate
    this.#timer = setInterval(() => { void this.report(); }, everyMs);
  }

  async sample(): Promise<ProgressLine> {
    const t = this.fleet.totals();
    const hub = await this.hub();
    const now = Date.now();
    let perS: number | null = null;
    if (hub) {
      if (this.#last && now > this.#last.atMs) perS = Math.max(0, (hub.readingsStored - this.#last.stored) / ((now - this.#last.atMs) / 1000));
      else perS = 0;
      this.#last = { atMs: now, stored: hub.readingsStored };
    }
    return {
      wallS: (now - this.#startMs) / 1000, fleetTimeMs: this.fleetClock.now(), devices: t.devices, running: t.running,
      online: hub && Number.isFinite(hub.devicesOnline) ? hub.devicesOnline : t.connected,
      storedPerS: perS, storedTotal: hub?.readingsStored ?? null, backlogRecords: t.outboxRecords, backlogReadings: t.outboxReadings,
    };
  }

  async report(): Promise<void> {
    this.print(formatProgress(await this.sample()));
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}
