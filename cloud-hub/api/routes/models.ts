/**
 * The model registry over HTTP: models and versions (viewer), artefact downloads (viewer), and
 * starting a training job (operator).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { EdgehiveError, isEdgehiveError } from '../../../shared/errors/index.ts';
import type { DataSelector } from '../../jobs/schema.ts';
import type { JobManager } from '../../jobs/job-manager.ts';
import type { Recipe } from '../../recipes/schema.ts';
import { parseRecipe } from '../../recipes/validate.ts';
import type { ModelRegistry } from '../../registry/registry.ts';
import { actorOf, requireRole } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import {
  ArtefactParams, ModelParams, TrainBody, VersionParams, type ArtefactParamsT, type ModelParamsT, type TrainBodyT, type VersionParamsT,
} from '../schemas.ts';
import { parseTime } from './telemetry.ts';

/** For codes whose status the shared table (api/errors.ts) does not give the meaning here. */
function sendError(reply: FastifyReply, status: number, e: EdgehiveError): FastifyReply {
  return reply.status(status).send({ error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) } });
}

function contentType(file: string): string {
  if (file.endsWith('.json')) return 'application/json';
  if (file.endsWith('.md')) return 'text/markdown; charset=utf-8';
  return 'application/octet-stream';
}

function bound(field: string, v: string | number | undefined): number | undefined {
  if (typeof v === 'number') return v;
  return parseTime(field, v);
}

export function modelRoutes(app: FastifyInstance, ctx: ApiContext, m: { registry: ModelRegistry; jobs: JobManager }): void {
  const viewer = requireRole(ctx.store, 'viewer');
  const operator = requireRole(ctx.store, 'operator');
  const { registry, jobs } = m;

  app.get('/api/v1/models', {
    onRequest: viewer,
    schema: { summary: 'Models in the registry, each with a summary of its latest version' },
  }, async () => ({ models: await registry.listModels() }));

  app.get<{ Params: ModelParamsT }>('/api/v1/models/:name/versions', {
    onRequest: viewer,
    schema: { summary: 'Every version of a model, oldest first: recipe, data range, metrics, variants, profile plan, lineage, artefacts', params: ModelParams },
  }, async (req) => ({ model: req.params.name, versions: await registry.listVersions(req.params.name) }));

  app.get<{ Params: VersionParamsT }>('/api/v1/models/:name/versions/:version', {
    onRequest: viewer,
    schema: { summary: 'One model version', params: VersionParams },
  }, async (req) => registry.getVersion(req.params.name, req.params.version));

  app.get<{ Params: ArtefactParamsT }>('/api/v1/models/:name/versions/:version/artefacts/:file', {
    onRequest: viewer,
    schema: { summary: 'Download one artefact of a version (ONNX model, preprocess.json, ...); checked against its recorded sha256 first', params: ArtefactParams },
  }, async (req, reply) => {
    const { name, version, file } = req.params;
    const { artefact, bytes } = await registry.readArtefact(name, version, file);
    return reply
      .type(contentType(file))
      .header('etag', `"${artefact.sha256}"`)
      .header('x-edgehive-sha256', artefact.sha256)
      .header('content-disposition', `attachment; filename="${name}-v${version}-${file}"`)
      .send(bytes);
  });

  app.post<{ Params: ModelParamsT; Body: TrainBodyT }>('/api/v1/models/:name/train', {
    onRequest: operator,
    schema: { summary: 'Start a training job (202 with its id): the recipe given, else the model\'s last one, on the selected stored readings', params: ModelParams, body: TrainBody },
  }, async (req, reply) => {
    const { name } = req.params;
    if (!jobs.enabled) {
      return sendError(reply, 503, new EdgehiveError('EH_STATE', 'training is not enabled on this hub: it was started without a training pipeline'));
    }
    let recipe: Recipe;
    if (req.body.recipe !== undefined) {
      try {
        recipe = parseRecipe(req.body.recipe, 'recipe');
      } catch (e) {
        if (isEdgehiveError(e, 'EH_RECIPE_INVALID')) return sendError(reply, 400, e);
        throw e;
      }
      if (recipe.name !== name) {
        throw new EdgehiveError('EH_BAD_REQUEST', `recipe/name is "${recipe.name}" but the URL names model "${name}"; make them the same`, { field: '/recipe/name' });
      }
    } else {
      const model = await registry.getModel(name);
      if (!model) throw new EdgehiveError('EH_NOT_FOUND', `model ${name} is not in the registry and the request has no recipe; send {"recipe": {...}} to create it`, { model: name });
      recipe = parseRecipe(model.recipe, `stored recipe of ${name}`);
      // An upload stores a placeholder recipe (no hidden layers): training it would make a different, trivial model.
      if (recipe.architecture.layers.length === 0) {
        throw new EdgehiveError('EH_BAD_REQUEST', `model ${name} was uploaded, so the hub has no recipe to retrain it with; send {"recipe": {...}} describing the model to train`, { field: '/recipe' });
      }
    }
    const d = req.body.data;
    if (d.device !== undefined && d.group !== undefined) {
      throw new EdgehiveError('EH_BAD_REQUEST', 'data names both a device and a group; give one of them (or neither, for every device)', { field: '/data' });
    }
    const fromMs = bound('data.from', d.from);
    const toMs = bound('data.to', d.to);
    if (fromMs !== undefined && toMs !== undefined && fromMs > toMs) throw new EdgehiveError('EH_BAD_REQUEST', `data.from (${fromMs}) is after data.to (${toMs})`, { field: '/data/from' });
    if (d.device !== undefined && !(await ctx.store.getDevice(d.device))) {
      throw new EdgehiveError('EH_NOT_FOUND', `device ${d.device} is not provisioned on this hub, so it has no readings to train on`, { device: d.device });
    }
    const data: DataSelector = {
      ...(d.device !== undefined ? { device: d.device } : {}),
      ...(d.group !== undefined ? { group: d.group } : {}),
      ...(fromMs !== undefined ? { fromMs } : {}),
      ...(toMs !== undefined ? { toMs } : {}),
    };
    const actor = actorOf(req);
    const job = await jobs.start({ recipe, data, actor });
    await ctx.store.appendAudit({ atMs: ctx.clock.now(), actor, action: 'model.train', target: name, details: { jobId: job.id, data } });
    return reply.status(202).send({
      jobId: job.id, model: name, state: job.state,
      links: { job: `/api/v1/jobs/${job.id}`, events: `/api/v1/jobs/${job.id}/events` },
    });
  });
}
