/**
 * Bundles over HTTP: list and inspect (viewer), download the file (viewer), and upload a bundle
 * built elsewhere (operator), checked against this hub's trust chain before it is kept.
 */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { EdgehiveError } from '../../../shared/errors/index.ts';
import type { BundleService } from '../../bundles/bundle-api.ts';
import type { BundleRecord, RolloutStore } from '../../store/rollout-store.ts';
import { actorOf, requireRole } from '../auth.ts';
import type { ApiContext } from '../context.ts';

const BundleParams = Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'bundle id: sha256 (hex) of its manifest' }) });
const BundleListQuery = Type.Object({
  model: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' })),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
});
type BundleParamsT = Static<typeof BundleParams>;
type BundleListQueryT = Static<typeof BundleListQuery>;

/** A bundle in a list: the record without its manifest (GET /bundles/:id has it). */
function summary(b: BundleRecord): Omit<BundleRecord, 'manifest'> & { links: { self: string; file: string } } {
  const { manifest: _manifest, ...rest } = b;
  return { ...rest, links: { self: `/api/v1/bundles/${b.id}`, file: `/api/v1/bundles/${b.id}/file` } };
}

export interface BundleRouteDeps {
  bundles: BundleService;
  rollouts: RolloutStore;
  /** Largest upload accepted (bytes). */
  maxUploadBytes: number;
}

export function bundleRoutes(app: FastifyInstance, ctx: ApiContext, deps: BundleRouteDeps): void {
  const viewer = requireRole(ctx.store, 'viewer');
  const operator = requireRole(ctx.store, 'operator');
  const { bundles, rollouts } = deps;

  const record = async (id: string): Promise<BundleRecord> => {
    const b = await bundles.get(id);
    if (!b) throw new EdgehiveError('EH_NOT_FOUND', `bundle ${id} is not on this hub; GET /api/v1/bundles lists those that are`, { id });
    return b;
  };

  app.get<{ Querystring: BundleListQueryT }>('/api/v1/bundles', {
    onRequest: viewer,
    schema: { summary: 'Bundles on this hub, newest first, optionally of one model', querystring: BundleListQuery },
  }, async (req) => {
    const list = await rollouts.listBundles({ limit: req.query.limit, ...(req.query.model !== undefined ? { model: req.query.model } : {}) });
    return { bundles: list.map(summary) };
  });

  app.get<{ Params: BundleParamsT }>('/api/v1/bundles/:id', {
    onRequest: viewer,
    schema: { summary: 'One bundle: its record and signed manifest (targets, artefacts, metrics, health check, source)', params: BundleParams },
  }, async (req) => {
    const b = await record(req.params.id);
    return { ...summary(b), manifest: b.manifest };
  });

  app.get<{ Params: BundleParamsT }>('/api/v1/bundles/:id/file', {
    onRequest: viewer,
    schema: { summary: 'Download the bundle file (application/octet-stream); checked against its recorded sha256 first', params: BundleParams },
  }, async (req, reply) => {
    const b = await record(req.params.id);
    const bytes = await bundles.read(b.id);
    return reply
      .type('application/octet-stream')
      .header('etag', `"${b.sha256}"`)
      .header('x-edgehive-sha256', b.sha256)
      .header('content-disposition', `attachment; filename="${b.model}-v${b.version}-${b.variant}-${b.id.slice(0, 12)}.ehb"`)
      .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });

  // Raw bytes only on this route: the rest of the API stays JSON.
  void app.register(async (sub) => {
    sub.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: deps.maxUploadBytes }, (_req, body, done) => done(null, body));
    sub.post('/api/v1/bundles', {
      onRequest: operator,
      bodyLimit: deps.maxUploadBytes,
      schema: { summary: 'Upload a bundle built elsewhere (application/octet-stream body, 201): verified against this hub\'s root, fleet and signing-key list, then kept' },
    }, async (req, reply) => {
      const body = req.body;
      if (!Buffer.isBuffer(body) || body.length === 0) {
        throw new EdgehiveError('EH_BAD_REQUEST', 'send the bundle file as the body with "Content-Type: application/octet-stream"');
      }
      // Idempotent: the same bundle again answers 201 with the record kept the first time.
      const b = await bundles.upload(new Uint8Array(body.buffer, body.byteOffset, body.byteLength), actorOf(req));
      return reply.status(201).send({ ...summary(b), manifest: b.manifest });
    });
  });
}
