/**
 * A hub the simulator started in its own process (demo, tests): the scenario's HubControl.
 * A restart closes the hub and starts it again with the same config, on the same ports (a port
 * chosen as 0 at first start is pinned to the one the hub got) and the same data directory.
 */
import type { HubConfigInput } from '../../cloud-hub/config/hub-config.ts';
import type { HubDeps, HubHandle, HubMetricsSnapshot } from '../../cloud-hub/hub-api.ts';
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { HubControl } from '../scenario/execute.ts';

export type StartHub = (config: HubConfigInput, deps: HubDeps) => Promise<HubHandle>;

function portOf(url: string): number | null {
  const p = new URL(url).port;
  return p ? Number(p) : null;
}

export class OwnedHub implements HubControl {
  #hub: HubHandle | null = null;
  #config: HubConfigInput;
  #lastMetrics: HubMetricsSnapshot | null = null;
  #adminToken: string | null = null;
  #mqttUrl = '';
  #httpUrl = '';
  restarts = 0;

  constructor(config: HubConfigInput, private readonly launch: StartHub, private readonly deps: HubDeps = {}) {
    this.#config = config;
  }

  /** The running hub; throws while it is down for a restart. */
  get handle(): HubHandle {
    if (!this.#hub) throw new EdgehiveError('EH_STATE', 'the hub is down (restarting)');
    return this.#hub;
  }

  get isUp(): boolean { return this.#hub !== null; }
  /** The admin token printed at the first start (null when the data dir already had one). */
  get adminToken(): string | null { return this.#adminToken; }
  get mqttUrl(): string { return this.#mqttUrl; }
  get httpUrl(): string { return this.#httpUrl; }

  async start(): Promise<HubHandle> {
    if (this.#hub) return this.#hub;
    const hub = await this.launch(this.#config, this.deps);
    this.#hub = hub;
    if (hub.adminToken) this.#adminToken ??= hub.adminToken;
    this.#mqttUrl = hub.mqttUrl;
    this.#httpUrl = hub.httpUrl;
    this.#pinPorts(hub);
    return hub;
  }

  #pinPorts(hub: HubHandle): void {
    const c = this.#config;
    const mqtt = (c.mqtt ?? {}) as { mode?: string; port?: number };
    const mqttPort = portOf(hub.mqttUrl);
    const httpPort = portOf(hub.httpUrl);
    const next: HubConfigInput = { ...c, http: { ...c.http, ...(httpPort ? { port: httpPort } : {}) } };
    if (mqtt.mode !== 'external' && mqttPort && !c.publicMqttUrl) next.mqtt = { ...mqtt, mode: 'embedded', port: mqttPort } as HubConfigInput['mqtt'];
    this.#config = next;
  }

  /** Hub metrics now, or the last seen while the hub is down. */
  metrics(): HubMetricsSnapshot | null {
    if (this.#hub) this.#lastMetrics = this.#hub.metrics();
    return this.#lastMetrics;
  }

  async restartBroker(downWallMs: number): Promise<void> {
    await this.handle.restartBroker(downWallMs);
  }

  async stopHub(): Promise<void> {
    const hub = this.#hub;
    if (!hub) return;
    this.metrics();
    this.#hub = null;
    await hub.close();
  }

  async startHub(): Promise<void> {
    if (this.#hub) return;
    this.restarts++;
    await this.start();
  }

  async close(): Promise<void> {
    await this.stopHub();
  }
}
