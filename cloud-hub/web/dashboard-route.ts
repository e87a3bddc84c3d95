/**
 * GET / — the operator dashboard: one static page that reads /metrics and, with a token the
 * operator types in (viewer is enough), the devices, models and their versions, deployments,
 * drift reports and each model's drift status, and shadow evaluations, all through GET. No token
 * is needed for the page itself; it holds no data.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

const PAGE = readFileSync(new URL('./dashboard.html', import.meta.url), 'utf8');

export function dashboardRoute(app: FastifyInstance): void {
  app.get('/', { schema: { summary: 'Operator dashboard (HTML)', hide: true } }, async (_req, reply) => {
    return reply.type('text/html; charset=utf-8').header('content-security-policy', "default-src 'self'; script-src 'unsafe-inline' 'self'; style-src 'unsafe-inline'").send(PAGE);
  });
}
