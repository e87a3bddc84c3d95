/**
 * The hub's HTTP API on fastify: JSON under /api/v1, bearer tokens with roles, errors as
 * {error: {code, message}}, plus /healthz, /metrics and the OpenAPI document.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { ApiContext } from './context.ts';
import { installErrorHandlers } from './errors.ts';
import { bundleRoutes } from './routes/bundles.ts';
import { deploymentRoutes } from './routes/deployments.ts';
import { deviceRoutes } from './routes/devices.ts';
import { driftRoutes } from './routes/drift.ts';
import { driftPolicyRoutes } from './routes/drift-policy.ts';
import { healthRoutes } from './routes/health.ts';
import { jobRoutes } from './routes/jobs.ts';
import { keyRoutes } from './routes/keys.ts';
import { modelRoutes } from './routes/models.ts';
import { modelUploadRoutes } from './routes/models-upload.ts';
import { collectRoutes, openapiRoute } from './routes/openapi.ts';
import { shadowRoutes } from './routes/shadow.ts';
import { telemetryRoutes } from './routes/telemetry.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { dashboardRoute } from '../web/dashboard-route.ts';

export const API_VERSION = '1.0.0';

export function buildApi(ctx: ApiContext): FastifyInstance {
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false } },
  });
  app.decorateRequest('token', null);
  installErrorHandlers(app);
  const routes = collectRoutes(app);
  healthRoutes(app, ctx);
  deviceRoutes(app, ctx);
  telemetryRoutes(app, ctx);
  driftRoutes(app, ctx);
  tokenRoutes(app, ctx);
  if (ctx.models) {
    modelRoutes(app, ctx, ctx.models);
    modelUploadRoutes(app, ctx, ctx.models);
    jobRoutes(app, ctx, ctx.models.jobs);
  }
  if (ctx.bundles) {
    bundleRoutes(app, ctx, { bundles: ctx.bundles.service, rollouts: ctx.bundles.rollouts, maxUploadBytes: ctx.bundles.maxUploadBytes });
    keyRoutes(app, ctx, ctx.bundles.service);
  }
  if (ctx.deployments) deploymentRoutes(app, ctx, ctx.deployments);
  if (ctx.driftPolicy) driftPolicyRoutes(app, ctx, ctx.driftPolicy);
  if (ctx.shadow) shadowRoutes(app, ctx, ctx.shadow);
  openapiRoute(app, routes, API_VERSION);
  dashboardRoute(app);
  return app;
}

/** Listens; returns the base URL (with the real port when asked for port 0). */
export async function listenApi(app: FastifyInstance, host: string, port: number): Promise<string> {
  await app.listen({ host, port });
  const addr = app.server.address();
  const bound = addr && typeof addr === 'object' ? addr.port : port;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${bound}`;
}
