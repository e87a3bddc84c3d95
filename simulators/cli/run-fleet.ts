/**
 * What `edgehive sim` and `edgehive demo` share: lay out the fleet, plan the scenario, provision
 * and start the agents, run the executor and the progress line, and stop it all in order.
 */
import type { Logger } from '../../shared/log/logger.ts';
import { ScaledClock } from '../../shared/time/clock.ts';
import { loadAgentFactory } from '../fleet/agent-factory.ts';
import { Fleet } from '../fleet/fleet.ts';
import { fleetStartMs } from '../fleet/fleet-start.ts';
import { layoutFleet } from '../fleet/layout.ts';
import type { OwnedHub } from '../fleet/owned-hub.ts';
import { ProgressReporter, type HubFiguresSource } from '../fleet/progress.ts';
import type { Provisioner } from '../fleet/provision.ts';
import { assertRunnable, describeStep, ScenarioExecutor } from '../scenario/execute.ts';
import { planScenario } from '../scenario/plan.ts';
import type { Scenario } from '../scenario/schema.ts';

export interface RunFleetOptions {
  scenario: Scenario;
  devices: number;
  speed: number;
  periodMs: number;
  dataDir: string;
  mode: 'in-process' | 'process';
  provisioner: Provisioner;
  /** Broker URL for the agents instead of the one provisioning returns. */
  mqttUrl?: string;
  hub: OwnedHub | null;
  hubFigures: HubFiguresSource;
  logLevel: string;
  logger: Logger;
  print: (line: string) => void;
}

export interface RunningFleet {
  fleet: Fleet;
  /** Resolves when the scenario's last step has run (never, for a scenario without an end). */
  scenarioDone: Promise<void>;
  stop(): Promise<void>;
}

export async function runFleet(o: RunFleetOptions): Promise<RunningFleet> {
  const devices = layoutFleet(o.devices, o.scenario.mix);
  const startMs = fleetStartMs(o.dataDir, devices.map((d) => d.id), o.periodMs);
  const plan = planScenario(o.scenario, devices, startMs);
  assertRunnable(plan, o.hub !== null, o.scenario.name);

  const createAgent = o.mode === 'in-process' ? await loadAgentFactory() : undefined;
  o.print(`provisioning ${devices.length} devices (${o.mode === 'process' ? 'one process each' : 'in this process'}) ...`);
  const clock = { fleetEpochMs: startMs, wallEpochMs: Date.now(), speed: o.speed };
  const fleet = await Fleet.create({
    dataDir: o.dataDir, devices, provisioner: o.provisioner, mode: o.mode, logger: o.logger,
    ...(createAgent ? { createAgent } : {}),
    ...(o.mqttUrl ? { mqttUrl: o.mqttUrl } : {}),
    linkDevices: plan.linkDevices,
    sim: {
      seed: o.scenario.seed, periodMs: o.periodMs, originMs: startMs, clock, faults: plan.sensorFaults,
      ...(o.scenario.durationS === undefined ? {} : { untilMs: startMs + o.scenario.durationS * 1000 }),
    },
    agent: { log: { level: o.logLevel } },
  });
  await fleet.start();
  const fleetClock = new ScaledClock(clock.fleetEpochMs, clock.wallEpochMs, clock.speed);
  const executor = new ScenarioExecutor(plan, {
    fleet, hub: o.hub, startWallMs: clock.wallEpochMs, speed: o.speed, logger: o.logger,
    onStep: (step, err) => o.print(`scenario ${o.scenario.name}: ${describeStep(step)}${err ? ` FAILED: ${err.message}` : ''}`),
  });
  executor.start();
  const reporter = new ProgressReporter(fleet, o.hubFigures, fleetClock, o.print);
  reporter.start();
  o.print(`fleet running: ${devices.length} devices, speed ${o.speed}x, a reading every ${o.periodMs / 1000} fleet s; scenario ${o.scenario.name} with ${plan.steps.length} steps`);

  let stopping: Promise<void> | null = null;
  return {
    fleet,
    scenarioDone: plan.steps.length > 0 ? executor.done : new Promise(() => {}),
    stop: () => (stopping ??= (async () => {
      reporter.stop();
      await executor.close();
      await fleet.stop();
    })()),
  };
}
