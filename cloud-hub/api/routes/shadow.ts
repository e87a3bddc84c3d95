/**
 * Shadow evaluations over HTTP (cloud-hub/shadow, decision 0013): the model's running or latest
 * evaluation with its devices, their latest shadow figures, the held-out comparison and the
 * verdict (viewer); starting one for a version by hand (operator: 201 when it runs, 200 with
 * state `refused` and the reason when the challenger failed the held-out gate or no device can
 * run it); stopping the running one (operator).
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ShadowManager } from '../../shadow/shadow-manager.ts';
import { actorOf, requireRole } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import { ModelParams, VersionParams, type ModelParamsT, type VersionParamsT } from '../schemas.ts';

const Group = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });
const StartBody = Type.Object({
  groups: Type.Optional(Type.Array(Group, { minItems: 1, maxItems: 100, uniqueItems: true, description: 'default: every group with a device running the champion' })),
}, { additionalProperties: false });
const StopBody = Type.Object({
  reason: Type.Optional(Type.String({ maxLength: 500, description: 'kept in the audit log and the evaluation' })),
}, { additionalProperties: false });

export function shadowRoutes(app: FastifyInstance, ctx: ApiContext, manager: ShadowManager): void {
  const operator = requireRole(ctx.store, 'operator');

  app.get<{ Params: ModelParamsT }>('/api/v1/models/:name/shadow', {
    onRequest: requireRole(ctx.store, 'viewer'),
    schema: { summary: 'The model\'s running shadow evaluation, else its latest (devices, shadow figures, held-out comparison, verdict); evaluation null when it never had one', params: ModelParams },
  }, async (req) => ({ model: req.params.name, evaluation: await manager.current(req.params.name) }));

  app.post<{ Params: VersionParamsT; Body: Static<typeof StartBody> }>('/api/v1/models/:name/versions/:version/shadow', {
    onRequest: operator,
    schema: { summary: 'Runs the version in shadow beside the champion after the held-out gate; 200 with state refused and the reason when it may not', params: VersionParams, body: StartBody },
  }, async (req, reply) => {
    const rec = await manager.begin({ model: req.params.name, version: req.params.version, ...(req.body?.groups ? { groups: req.body.groups } : {}), actor: actorOf(req) });
    return reply.code(rec.state === 'running' ? 201 : 200).send(rec);
  });

  app.post<{ Params: ModelParamsT; Body: Static<typeof StopBody> }>('/api/v1/models/:name/shadow/stop', {
    onRequest: operator,
    schema: { summary: 'Stops the model\'s running shadow evaluation: shadows cleared from its devices, state stopped', params: ModelParams, body: StopBody },
  }, async (req) => manager.stop(req.params.name, actorOf(req), req.body?.reason));
}
