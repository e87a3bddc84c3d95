/**
 * The executor: runs a Plan's steps at their wall times against the fleet and, when the
 * simulator owns it, the hub. Steps on different targets run concurrently (a broker that is down
 * for 2 s does not hold up a device's crash); steps on one target run in order.
 */
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { Logger } from '../../shared/log/logger.ts';
import { systemClock, type Clock } from '../../shared/time/clock.ts';
import type { Plan, Step } from './plan.ts';

export interface FleetControl {
  linkDown(device: string): void | Promise<void>;
  linkUp(device: string): void | Promise<void>;
  crashAgent(device: string): Promise<void>;
  restartAgent(device: string): Promise<void>;
}

/** Present only when the simulator started the hub itself. */
export interface HubControl {
  /** Drops every client, stays down `downWallMs`, listens again on the same port. */
  restartBroker(downWallMs: number): Promise<void>;
  stopHub(): Promise<void>;
  startHub(): Promise<void>;
}

export interface ExecutorOptions {
  fleet: FleetControl;
  hub: HubControl | null;
  /** Wall time of fleet offset 0, and fleet seconds per wall second. */
  startWallMs: number;
  speed: number;
  logger: Logger;
  wall?: Clock;
  onStep?: (step: Step, error?: Error) => void;
}

function keyOf(s: Step): string {
  switch (s.kind) {
    case 'link-down': case 'link-up': return `link:${s.device}`;
    case 'agent-crash': case 'agent-restart': return `agent:${s.device}`;
    case 'end': return 'end';
    default: return 'hub';
  }
}

export function assertRunnable(plan: Plan, hubOwned: boolean, scenarioName: string): void {
  if (plan.needsHub && !hubOwned) {
    const kinds = [...new Set(plan.steps.filter((s) => keyOf(s) === 'hub').map((s) => (s.kind === 'broker-restart' ? 'broker-restart' : 'hub-restart')))];
    throw new EdgehiveError('EH_STATE', `scenario ${scenarioName} has ${kinds.join(' and ')} faults, but this simulator does not own the hub it talks to; `
      + 'run it where the simulator starts the hub (edgehive demo, or the tests), or remove those faults');
  }
}

export class ScenarioExecutor {
  readonly #chains = new Map<string, Promise<void>>();
  readonly #wall: Clock;
  #timer: NodeJS.Timeout | null = null;
  #next = 0;
  #closed = false;
  #finish!: () => void;
  /** Resolves once every step has run (or the executor was closed). */
  readonly done: Promise<void>;
  readonly errors: Array<{ step: Step; error: Error }> = [];

  constructor(private readonly plan: Plan, private readonly opts: ExecutorOptions) {
    if (plan.needsHub && !opts.hub) assertRunnable(plan, false, 'scenario');
    this.#wall = opts.wall ?? systemClock;
    this.done = new Promise((resolve) => { this.#finish = resolve; });
  }

  wallTimeOf(step: Step): number {
    return this.opts.startWallMs + step.atMs / this.opts.speed;
  }

  start(): void {
    this.#schedule();
  }

  #schedule(): void {
    if (this.#closed) return;
    const steps = this.plan.steps;
    while (this.#next < steps.length && this.wallTimeOf(steps[this.#next]!) <= this.#wall.now()) this.#launch(steps[this.#next++]!);
    if (this.#next >= steps.length) {
      void Promise.all([...this.#chains.values()]).then(() => this.#finish());
      return;
    }
    const wait = Math.max(0, this.wallTimeOf(steps[this.#next]!) - this.#wall.now());
    this.#timer = setTimeout(() => { this.#timer = null; this.#schedule(); }, Math.min(wait, 1000));
  }

  #launch(step: Step): void {
    const key = keyOf(step);
    const prev = this.#chains.get(key) ?? Promise.resolve();
    const lateMs = Math.round(this.#wall.now() - this.wallTimeOf(step));
    const run = prev.then(async () => {
      if (this.#closed) return;
      this.opts.logger.info({ step, lateMs }, `scenario step ${describeStep(step)}`);
      try {
        await this.#run(step);
        this.opts.onStep?.(step);
      } catch (e) {
        const error = e instanceof Error ? e : new Error(String(e));
        this.errors.push({ step, error });
        this.opts.logger.error({ err: error, step }, `scenario step ${step.kind} failed`);
        this.opts.onStep?.(step, error);
      }
    });
    this.#chains.set(key, run);
  }

  async #run(step: Step): Promise<void> {
    const { fleet, hub, speed } = this.opts;
    switch (step.kind) {
      case 'link-down': return fleet.linkDown(step.device);
      case 'link-up': return fleet.linkUp(step.device);
      case 'agent-crash': return fleet.crashAgent(step.device);
      case 'agent-restart': return fleet.restartAgent(step.device);
      case 'broker-restart': return hub!.restartBroker(step.downMs / speed);
      case 'hub-stop': return hub!.stopHub();
      case 'hub-start': return hub!.startHub();
      case 'end': return;
    }
  }

  /** Cancels steps not yet started and waits for those running. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await Promise.all([...this.#chains.values()]);
    this.#finish();
  }
}

export function describeStep(s: Step): string {
  const at = `${(s.atMs / 1000).toFixed(1)} s`;
  switch (s.kind) {
    case 'broker-restart': return `${at}: broker restart (${s.downMs / 1000} s down)`;
    case 'hub-stop': case 'hub-start': return `${at}: ${s.kind}`;
    case 'end': return `${at}: end of the run (devices stop producing)`;
    default: return `${at}: ${s.kind} ${s.device}`;
  }
}
