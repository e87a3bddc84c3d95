/** POST /api/v1/tokens (admin): a new API token, shown once. */
import type { FastifyInstance } from 'fastify';
import { actorOf, createToken, requireRole } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import { TokenBody, type TokenBodyT } from '../schemas.ts';

export function tokenRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.post<{ Body: TokenBodyT }>('/api/v1/tokens', {
    onRequest: requireRole(ctx.store, 'admin'),
    schema: { summary: 'Create an API token; the response is the only time the token is shown', body: TokenBody },
  }, async (req, reply) => {
    const { record, token } = await createToken(ctx.store, ctx.clock, req.body.name, req.body.role);
    await ctx.store.appendAudit({ atMs: ctx.clock.now(), actor: actorOf(req), action: 'token.create', target: record.name, details: { id: record.id, role: record.role } });
    return reply.status(201).send({ id: record.id, name: record.name, role: record.role, createdAtMs: record.createdAtMs, token });
  });
}
