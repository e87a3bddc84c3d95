/**
 * The hub's main file: wires store → device cache → key material → registry and bundles →
 * broker → ingest (with reported states) → desired-state publisher → rollout manager → API →
 * drift policy manager (built beside the job manager, fed by the ingest's committed drift rows) →
 * shadow manager (handed the drift policy's challengers, promoting through the rollout manager),
 * owns their lifetime, and closes them in reverse order. Everything with a socket, file or timer
 * starts here.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { rootOf } from '../shared/bundle/index.ts';
import { EdgehiveError } from '../shared/errors/index.ts';
import { createLogger } from '../shared/log/logger.ts';
import { systemClock } from '../shared/time/clock.ts';
import { buildApi, listenApi } from './api/server.ts';
import { ensureAdminToken } from './api/auth.ts';
import { deviceAuthHooks } from './broker/device-auth.ts';
import { EmbeddedBroker } from './broker/embedded-broker.ts';
import { BundleFiles } from './bundles/bundle-files.ts';
import { HubBundleService } from './bundles/bundle-service.ts';
import { profileLookup } from './bundles/fit.ts';
import { openHubTrust } from './bundles/hub-trust.ts';
import { MqttDesiredPublisher } from './bundles/publisher.ts';
import { advertisedMqttUrl, parseHubConfig, type HubConfig, type HubConfigInput } from './config/hub-config.ts';
import { DeviceCache } from './devices/device-cache.ts';
import { DriftPolicyManager } from './drift/policy-manager.ts';
import { provisionDevice } from './devices/provision.ts';
import type { HubDeps, HubHandle } from './hub-api.ts';
import { EmbeddedTransport } from './ingest/embedded-transport.ts';
import { ExternalTransport } from './ingest/external-transport.ts';
import { Ingest } from './ingest/ingest.ts';
import { ReportedStates } from './ingest/reported-states.ts';
import { JobManager } from './jobs/job-manager.ts';
import type { TrainingPipeline } from './jobs/schema.ts';
import type { IngestTransport } from './ingest/transport.ts';
import { RejectLog } from './log/reject-log.ts';
import { HubMetrics } from './metrics/hub-metrics.ts';
import { ArtefactFiles } from './registry/artefact-files.ts';
import { ModelRegistry } from './registry/registry.ts';
import { RolloutManager } from './rollouts/rollout-manager.ts';
import { ShadowManager } from './shadow/shadow-manager.ts';
import { openStore } from './store/open-store.ts';


// Loaded on the first training job: TensorFlow.js and the pipeline cost a hub that never trains nothing.
const defaultPipeline: TrainingPipeline = async (ctx) => (await import('./pipeline/hub-pipeline.ts')).createTrainingPipeline()(ctx);

export type { HubConfig, HubConfigInput } from './config/hub-config.ts';

function readPem(what: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new EdgehiveError('EH_CONFIG_INVALID', `cannot read the TLS ${what} ${path}: ${(e as Error).message}`);
  }
}

export function printAdminTokenOnce(token: string, out: NodeJS.WritableStream = process.stdout): void {
  const lines = [`admin token: ${token}`, 'shown once: only its hash is stored. Use it as "Authorization: Bearer <token>".'];
  const width = Math.max(...lines.map((l) => l.length));
  out.write(`┌${'─'.repeat(width + 2)}┐\n${lines.map((l) => `│ ${l.padEnd(width)} │\n`).join('')}└${'─'.repeat(width + 2)}┘\n`);
}

export async function startHub(input: HubConfigInput | HubConfig, deps: HubDeps = {}): Promise<HubHandle> {
  const config = parseHubConfig(input);
  const clock = deps.clock ?? systemClock;
  const wallClock = deps.wallClock ?? systemClock;
  const logger = deps.logger ?? createLogger({ name: 'hub', level: config.log.level });
  const fleet = config.fleet;
  const metrics = new HubMetrics();
  const rejects = new RejectLog(logger, metrics, wallClock);
  const closers: Array<{ what: string; close: () => Promise<void> }> = [];
  const closeAll = async () => {
    for (const c of closers.splice(0).reverse()) {
      await c.close().catch((e: unknown) => logger.error({ err: e }, `closing the ${c.what} failed`));
    }
  };

  try {
    const store = await openStore(config, logger);
    await store.init();
    closers.push({ what: 'store', close: () => store.close() });

    const devices = new DeviceCache(store, clock);
    const known = await devices.load();
    metrics.devicesOnline = () => devices.onlineCount;
    const adminToken = await ensureAdminToken(store, clock, config.bootstrapAdminToken);

    const trust = openHubTrust(config.keys.dir ?? join(config.dataDir, 'keys'), fleet, clock.now(), logger);
    const registry = new ModelRegistry({ store: store.models, files: new ArtefactFiles(join(config.dataDir, 'artefacts')), clock });
    const bundles = new HubBundleService(
      { fleet, ...config.bundles },
      { store, rollouts: store.rollouts, registry, files: new BundleFiles(join(config.dataDir, 'bundles')), trust, profiles: profileLookup(), clock, logger },
    );
    const jobs = new JobManager({
      store, registry, pipeline: deps.pipeline === undefined ? defaultPipeline : deps.pipeline, clock, logger,
      ...(deps.maxConcurrentJobs !== undefined ? { maxConcurrent: deps.maxConcurrentJobs } : {}),
    });
    await jobs.recover();
    // Started last, once the API is up: reports the ingest commits before are noted, not evaluated.
    const driftPolicy = new DriftPolicyManager({ store, registry, jobs, state: store.driftPolicies, clock, logger });

    let broker: EmbeddedBroker | null = null;
    let transport: IngestTransport;
    if (config.mqtt.mode === 'embedded') {
      // A fresh embedded broker has no clients: whatever the store says, nobody is online.
      for (const d of known.filter((r) => r.online)) {
        await store.setDeviceStatus(d.id, { online: false, atMs: clock.now() });
        const c = devices.get(d.id);
        if (c) devices.setOnline(c, false);
      }
      const m = config.mqtt;
      const hooks = deviceAuthHooks({ fleet, devices, wallClock, rejects, internalSecret: randomBytes(32) });
      broker = await EmbeddedBroker.start({
        host: m.host, port: m.port, hooks, logger,
        ...(m.tls ? { tls: { cert: readPem('certificate', m.tls.certFile), key: readPem('key', m.tls.keyFile), port: m.tls.port } } : {}),
      });
      const b = broker;
      closers.push({ what: 'broker', close: () => b.close() });
      transport = new EmbeddedTransport(broker.aedes, logger);
    } else {
      transport = new ExternalTransport(config.mqtt, fleet, logger);
    }
    const mqttUrl = advertisedMqttUrl(config, broker?.port ?? null);

    // Closed after the ingest, so the reports it accepted last are stored.
    const reported = new ReportedStates(
      { flushMs: config.ingest.reportedFlushMs, maxBatch: config.ingest.reportedMaxBatch },
      { sink: store.rollouts, metrics, logger },
    );
    closers.push({ what: 'reported-state writer', close: () => reported.close() });
    const ingest = new Ingest(
      { fleet, ...config.ingest },
      { store, devices, transport, metrics, rejects, clock, logger, reported, onDriftCommitted: (rows) => driftPolicy.noteReports(new Set(rows.map((r) => r.model))) },
    );
    closers.push({ what: 'ingest', close: () => ingest.close() });
    await ingest.start();

    const publisher = new MqttDesiredPublisher({
      fleet, transport, rollouts: store.rollouts, bundles, clock, logger, sweepStale: transport.kind === 'external',
    });
    // The embedded broker starts with no retained messages; devices must find their twins again.
    await publisher.republishAll().catch((e: unknown) => {
      logger.error({ err: e }, 'republishing desired states failed; devices get theirs when a deployment next sets them');
    });

    const rollouts = new RolloutManager({ store, bundles, publisher, reported, clock, logger });
    closers.push({ what: 'rollout manager', close: () => rollouts.close() });
    await rollouts.start();

    const shadow = new ShadowManager({
      store, registry, bundles, publisher, reported, rollouts, policyOf: (m) => driftPolicy.policyOf(m), clock, logger,
    });
    closers.push({ what: 'shadow manager', close: () => shadow.close() });
    await shadow.start();
    driftPolicy.onChallenger((e) => shadow.onChallenger(e));

    const ctx = { store, devices, clock, fleet, mqttUrl, root: () => rootOf(trust) };
    const api: FastifyInstance = buildApi({
      store, metrics, clock, logger,
      provision: (p, actor) => provisionDevice(ctx, p, actor),
      brokerHealthy: () => (broker ? broker.healthy : transport.connected),
      models: { registry, jobs },
      bundles: { service: bundles, rollouts: store.rollouts, maxUploadBytes: config.bundles.maxUploadBytes },
      deployments: rollouts,
      driftPolicy,
      shadow,
    });
    closers.push({ what: 'API', close: () => api.close() });
    // Closed before the API, so event streams see their jobs end.
    closers.push({ what: 'training jobs', close: () => jobs.close() });
    // Closed first: no trigger may start a job on a stopping job manager or write to a closed store.
    closers.push({ what: 'drift policy manager', close: () => driftPolicy.close() });
    const httpUrl = await listenApi(api, config.http.host, config.http.port);
    await driftPolicy.start();

    if (adminToken && !config.bootstrapAdminToken) printAdminTokenOnce(adminToken);
    logger.info({ mqttUrl, tlsPort: broker?.tlsPort ?? undefined, httpUrl, fleet, store: store.kind, devices: known.length }, 'hub started');

    let closing: Promise<void> | null = null;
    return {
      mqttUrl,
      httpUrl,
      store,
      adminToken,
      registry,
      jobs,
      bundles,
      publisher,
      reported,
      rollouts,
      driftPolicy,
      shadow,
      provision: async (p, actor = 'system') => (await provisionDevice(ctx, p, actor)).result,
      metrics: () => metrics.snapshot(),
      restartBroker: async (downMs = 0) => {
        if (!broker) throw new EdgehiveError('EH_STATE', 'the hub uses an external broker; restart that broker itself');
        await broker.restart(downMs);
      },
      brokerBytesSent: () => broker?.bytesSent ?? null,
      close: () => (closing ??= closeAll().then(() => logger.info('hub stopped'))),
    };
  } catch (e) {
    await closeAll();
    throw e;
  }
}
