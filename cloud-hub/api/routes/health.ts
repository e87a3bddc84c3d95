/** GET /healthz and GET /metrics: no token, for load balancers and Prometheus. */
import type { FastifyInstance } from 'fastify';
import { PROMETHEUS_CONTENT_TYPE, renderPrometheus } from '../../metrics/prometheus.ts';
import type { ApiContext } from '../context.ts';

export function healthRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/healthz', { schema: { summary: 'Liveness: the store answers and the broker is up' } }, async (_req, reply) => {
    let store = 'ok';
    try {
      await ctx.store.countTokens();
    } catch (e) {
      store = `error: ${(e as Error).message}`;
    }
    const broker = ctx.brokerHealthy() ? 'ok' : 'down';
    const ok = store === 'ok' && broker === 'ok';
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', store, broker });
  });

  app.get('/metrics', { schema: { summary: 'Prometheus metrics (text format 0.0.4)' } }, async (_req, reply) => {
    return reply.type(PROMETHEUS_CONTENT_TYPE).send(renderPrometheus(ctx.metrics));
  });
}
