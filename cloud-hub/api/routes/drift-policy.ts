/**
 * A model's drift policy over HTTP (cloud-hub/drift/policy-manager.ts): the effective policy
 * with its sources (viewer), the per-model override (operator; replaces the previous one, {}
 * clears it, audited as drift-policy.set), and the manager's latest verdicts, last trigger and
 * cool-down (viewer).
 */
import type { FastifyInstance } from 'fastify';
import type { DriftPolicyManager } from '../../drift/policy-manager.ts';
import { DriftPolicyPatchSchema, type DriftPolicyPatch } from '../../drift/policy.ts';
import { actorOf, requireRole } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import { ModelParams, type ModelParamsT } from '../schemas.ts';

export function driftPolicyRoutes(app: FastifyInstance, ctx: ApiContext, manager: DriftPolicyManager): void {
  const viewer = requireRole(ctx.store, 'viewer');

  app.get<{ Params: ModelParamsT }>('/api/v1/models/:name/drift-policy', {
    onRequest: viewer,
    schema: { summary: 'The drift policy in effect for the model, and its sources (defaults, the recipe\'s driftPolicy, the override; later wins)', params: ModelParams },
  }, async (req) => manager.sources(req.params.name));

  app.put<{ Params: ModelParamsT; Body: DriftPolicyPatch }>('/api/v1/models/:name/drift-policy', {
    onRequest: requireRole(ctx.store, 'operator'),
    schema: {
      summary: 'Replaces the model\'s drift policy override ({} clears it); answers with the policy in effect and its sources',
      params: ModelParams,
      body: DriftPolicyPatchSchema,
    },
  }, async (req) => manager.setOverride(req.params.name, req.body, actorOf(req)));

  app.get<{ Params: ModelParamsT }>('/api/v1/models/:name/drift-status', {
    onRequest: viewer,
    schema: { summary: 'The drift policy\'s latest verdict per group (devices drifting, share, reasons, data-quality problems), last trigger and cool-down', params: ModelParams },
  }, async (req) => manager.status(req.params.name));
}
