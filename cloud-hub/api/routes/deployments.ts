/**
 * Staged rollouts over HTTP: create a deployment (operator), list and read their status
 * (viewer), halt, resume and abort them (operator). Every change is in the audit log, written by
 * the RolloutManager with the token's name as actor.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RolloutManager } from '../../rollouts/rollout-manager.ts';
import {
  DeploymentActionBody, DeploymentListQuery, DeploymentParams, DeploymentRequestSchema,
  type DeploymentActionBodyT, type DeploymentListQueryT, type DeploymentParamsT, type DeploymentRequest,
} from '../../rollouts/schema.ts';
import { actorOf, requireRole } from '../auth.ts';
import type { ApiContext } from '../context.ts';

export function deploymentRoutes(app: FastifyInstance, ctx: Pick<ApiContext, 'store'>, rollouts: RolloutManager): void {
  const viewer = requireRole(ctx.store, 'viewer');
  const operator = requireRole(ctx.store, 'operator');
  // The reason is optional, and so is the whole body: a bare POST must not fail validation.
  const emptyBody = async (req: FastifyRequest) => { if (req.body === undefined || req.body === null) req.body = {}; };

  app.post<{ Body: DeploymentRequest }>('/api/v1/deployments', {
    onRequest: operator,
    schema: {
      summary: 'Start a staged rollout of a model version or a bundle to a target (group, profile, devices) in waves with gates; 201 with its status',
      body: DeploymentRequestSchema,
    },
  }, async (req, reply) => {
    const status = await rollouts.create(req.body, actorOf(req));
    return reply.status(201).send(status);
  });

  app.get<{ Querystring: DeploymentListQueryT }>('/api/v1/deployments', {
    onRequest: viewer,
    schema: { summary: 'Deployments, newest first, optionally of one state, each with its status', querystring: DeploymentListQuery },
  }, async (req) => ({
    deployments: await rollouts.list({ limit: req.query.limit, ...(req.query.state ? { state: req.query.state } : {}) }),
  }));

  app.get<{ Params: DeploymentParamsT }>('/api/v1/deployments/:id', {
    onRequest: viewer,
    schema: { summary: 'A deployment: state, bundles per profile, waves with counts, figures and gate verdicts, and every device', params: DeploymentParams },
  }, async (req) => rollouts.status(req.params.id));

  app.post<{ Params: DeploymentParamsT; Body: DeploymentActionBodyT | undefined }>('/api/v1/deployments/:id/halt', {
    onRequest: operator,
    preValidation: emptyBody,
    schema: { summary: 'Stop advancing a running deployment; devices stay as they are', params: DeploymentParams, body: DeploymentActionBody },
  }, async (req) => rollouts.halt(req.params.id, actorOf(req), req.body?.reason));

  app.post<{ Params: DeploymentParamsT }>('/api/v1/deployments/:id/resume', {
    onRequest: operator,
    schema: { summary: 'Continue a halted deployment: a wave that failed its gates runs again, after a passed wave the next starts', params: DeploymentParams },
  }, async (req) => rollouts.resume(req.params.id, actorOf(req)));

  app.post<{ Params: DeploymentParamsT; Body: DeploymentActionBodyT | undefined }>('/api/v1/deployments/:id/abort', {
    onRequest: operator,
    preValidation: emptyBody,
    schema: { summary: 'End a running or halted deployment: every device it changed goes back to the bundle it ran before', params: DeploymentParams, body: DeploymentActionBody },
  }, async (req) => rollouts.abort(req.params.id, actorOf(req), req.body?.reason));
}
