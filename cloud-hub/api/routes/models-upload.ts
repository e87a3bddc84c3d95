/**
 * POST /api/v1/models/:name/upload (operator): an ONNX model trained elsewhere, with its
 * preprocessing spec, becomes a registered version. The work (validation, quantisation,
 * evaluation, footprint) runs within the request — seconds for the models edgehive runs — and
 * answers 201 with the version; see pipeline/upload-pipeline.ts for what it does and decides.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { EdgehiveError, isEdgehiveError, type ErrorCode } from '../../../shared/errors/index.ts';
import type { ModelRegistry } from '../../registry/registry.ts';
import type { Recipe } from '../../recipes/schema.ts';
import { actorOf, requireRole } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import { ModelParams, UploadBody, type ModelParamsT, type UploadBodyT } from '../schemas.ts';
import { parseTime } from './telemetry.ts';

/** 64 MiB of ONNX as base64 (4/3) plus the spec and the rest of the body. */
export const UPLOAD_BODY_LIMIT = 90 * 1024 * 1024;

/** Codes that mean "this upload is wrong" here, though the shared table gives them 500. */
const CLIENT_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['EH_MODEL_INVALID', 'EH_MODEL_UNSUPPORTED', 'EH_RECIPE_INVALID', 'EH_DATA_INSUFFICIENT', 'EH_INFERENCE_FAILED']);

function sendError(reply: FastifyReply, status: number, e: EdgehiveError): FastifyReply {
  return reply.status(status).send({ error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) } });
}

function bound(field: string, v: string | number | undefined): number | undefined {
  return typeof v === 'number' ? v : parseTime(field, v);
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function modelUploadRoutes(app: FastifyInstance, ctx: ApiContext, m: { registry: ModelRegistry }): void {
  const operator = requireRole(ctx.store, 'operator');

  app.post<{ Params: ModelParamsT; Body: UploadBodyT }>('/api/v1/models/:name/upload', {
    onRequest: operator,
    bodyLimit: UPLOAD_BODY_LIMIT,
    schema: {
      summary: 'Upload an ONNX model trained elsewhere with its preprocessing spec (201 with the new version): validated, quantised to int8 where its operators allow (static on stored data, else dynamic), gated, planned per device profile',
      params: ModelParams, body: UploadBody,
    },
  }, async (req, reply) => {
    const { name } = req.params;
    const b = req.body;
    const compact = b.onnx.replace(/\s+/g, '');
    if (compact.length % 4 !== 0 || !BASE64.test(compact)) {
      throw new EdgehiveError('EH_BAD_REQUEST', 'onnx is not base64: send the .onnx file\'s bytes base64-encoded (standard alphabet, padded)', { field: '/onnx' });
    }
    const onnx = new Uint8Array(Buffer.from(compact, 'base64'));
    const d = b.data;
    const fromMs = bound('data.from', d?.from);
    const toMs = bound('data.to', d?.to);
    if (fromMs !== undefined && toMs !== undefined && fromMs > toMs) throw new EdgehiveError('EH_BAD_REQUEST', `data.from (${fromMs}) is after data.to (${toMs})`, { field: '/data/from' });

    // Loaded on first use, like the training pipeline: a hub that never takes uploads pays nothing.
    const { runUploadPipeline } = await import('../../pipeline/upload-pipeline.ts');
    let version;
    try {
      const result = await runUploadPipeline(ctx.store, {
        name, onnx, preprocess: b.preprocess, task: b.task,
        ...(b.target !== undefined ? { target: b.target as Recipe['target'] } : {}),
        ...(b.gates !== undefined ? { gates: b.gates as Partial<Recipe['gates']> } : {}),
        ...(b.quantisation ? { quantisation: b.quantisation } : {}),
        ...(b.description !== undefined ? { description: b.description } : {}),
        ...(d ? {
          data: {
            ...(d.device !== undefined ? { device: d.device } : {}),
            ...(d.group !== undefined ? { group: d.group } : {}),
            ...(fromMs !== undefined ? { fromMs } : {}),
            ...(toMs !== undefined ? { toMs } : {}),
          },
        } : {}),
      });
      version = await m.registry.register({ recipe: result.recipe, dataRange: result.dataRange, files: result.files, complete: result.complete });
    } catch (e) {
      if (isEdgehiveError(e) && CLIENT_CODES.has(e.code)) return sendError(reply, 400, e);
      throw e;
    }
    const int8 = version.variants.find((v) => v.variant === 'int8');
    await ctx.store.appendAudit({
      atMs: ctx.clock.now(), actor: actorOf(req), action: 'model.upload', target: name,
      details: { version: version.version, bytes: onnx.byteLength, int8: int8 ? { accepted: int8.accepted } : null, data: d ?? null },
    });
    return reply.status(201).send(version);
  });
}
