/**
 * Training jobs over HTTP: list, state and progress (viewer), progress as Server-Sent Events
 * until the job ends (viewer), cancel (operator).
 */
import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { EdgehiveError } from '../../../shared/errors/index.ts';
import type { JobManager } from '../../jobs/job-manager.ts';
import { isFinished, type Job } from '../../jobs/schema.ts';
import { actorOf, requireRole } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import { JobListQuery, JobParams, type JobListQueryT, type JobParamsT } from '../schemas.ts';

/** A comment line every so often keeps proxies from closing a quiet stream. */
const KEEPALIVE_MS = 15_000;
/** How long POST .../cancel waits for the pipeline to stop before answering with the state so far. */
const CANCEL_WAIT_MS = 2000;

function notFound(id: string): EdgehiveError {
  return new EdgehiveError('EH_NOT_FOUND', `no training job ${id}; GET /api/v1/jobs lists them`, { id });
}

export function jobRoutes(app: FastifyInstance, ctx: ApiContext, jobs: JobManager): void {
  const viewer = requireRole(ctx.store, 'viewer');
  const streams = new Set<ServerResponse>();
  // An open event stream would hold the server's close() until its job ends: end them first.
  app.addHook('preClose', async () => {
    for (const res of streams) res.end();
    streams.clear();
  });

  app.get<{ Querystring: JobListQueryT }>('/api/v1/jobs', {
    onRequest: viewer,
    schema: { summary: 'Training jobs, newest first, filtered by model or state', querystring: JobListQuery },
  }, async (req) => {
    const q = req.query;
    return { jobs: await jobs.list({ limit: q.limit, ...(q.model ? { model: q.model } : {}), ...(q.state ? { states: [q.state] } : {}) }) };
  });

  app.get<{ Params: JobParamsT }>('/api/v1/jobs/:id', {
    onRequest: viewer,
    schema: { summary: 'A training job: state, progress (stage, epoch, loss, ETA), error, the version it registered', params: JobParams },
  }, async (req) => {
    const job = await jobs.get(req.params.id);
    if (!job) throw notFound(req.params.id);
    return job;
  });

  app.get<{ Params: JobParamsT }>('/api/v1/jobs/:id/events', {
    onRequest: viewer,
    schema: { summary: 'Server-Sent Events (text/event-stream): "state" now, "progress" and "state" as they happen, "end" when the job has ended', params: JobParams },
  }, async (req, reply) => {
    const { id } = req.params;
    const stored = await jobs.get(id);
    if (!stored) throw notFound(id);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
    const send = (event: string, job: Job) => { res.write(`event: ${event}\ndata: ${JSON.stringify(job)}\n\n`); };
    const timer: { ping?: NodeJS.Timeout } = {};
    let unsubscribe = () => {};
    const finish = () => {
      clearInterval(timer.ping);
      unsubscribe();
      streams.delete(res);
      if (!res.writableEnded) res.end();
    };
    const sub = jobs.subscribe(id, (kind, job) => {
      send(kind, job);
      if (kind === 'end') finish();
    });
    if (!sub) {
      // Ended already (or between the lookup and now): say so once.
      const job = (await jobs.get(id)) ?? stored;
      send('state', job);
      if (isFinished(job.state)) send('end', job);
      res.end();
      return;
    }
    unsubscribe = sub.unsubscribe;
    streams.add(res);
    send('state', sub.job);
    timer.ping = setInterval(() => res.write(': keep-alive\n\n'), KEEPALIVE_MS);
    req.raw.on('close', finish);
    res.on('close', finish);
  });

  app.post<{ Params: JobParamsT }>('/api/v1/jobs/:id/cancel', {
    onRequest: requireRole(ctx.store, 'operator'),
    schema: { summary: 'Cancel a queued or running job; answers with its state once it has stopped (or after 2 s)', params: JobParams },
  }, async (req) => {
    const { id } = req.params;
    const actor = actorOf(req);
    const before = await jobs.get(id);
    if (!before) throw notFound(id);
    if (isFinished(before.state)) throw new EdgehiveError('EH_STATE', `job ${id} has already ended (${before.state})`, { id, state: before.state });
    const ended = jobs.cancel(id, actor);
    await ctx.store.appendAudit({ atMs: ctx.clock.now(), actor, action: 'job.cancel', target: id });
    let timer: NodeJS.Timeout | undefined;
    const job = await Promise.race([ended, new Promise<null>((r) => { timer = setTimeout(() => r(null), CANCEL_WAIT_MS); })]);
    clearTimeout(timer);
    return job ?? (await jobs.get(id));
  });
}
