/**
 * GET /api/v1/keys (viewer): the fleet's public trust material, the signed roots (oldest first)
 * and the signing-key list, as devices and offline tools check bundles against. Private keys
 * never leave the hub's key directory.
 */
import type { FastifyInstance } from 'fastify';
import { rootOf } from '../../../shared/bundle/index.ts';
import type { BundleService } from '../../bundles/bundle-api.ts';
import { requireRole } from '../auth.ts';
import type { ApiContext } from '../context.ts';

export function keyRoutes(app: FastifyInstance, ctx: ApiContext, bundles: Pick<BundleService, 'trust'>): void {
  const viewer = requireRole(ctx.store, 'viewer');

  app.get('/api/v1/keys', {
    onRequest: viewer,
    schema: { summary: 'Public trust material: the signed root chain, the newest root (what devices are provisioned with) and the signing-key list' },
  }, async () => {
    const { roots, keys } = bundles.trust();
    return { root: rootOf({ roots }), roots, signingKeys: keys };
  });
}
