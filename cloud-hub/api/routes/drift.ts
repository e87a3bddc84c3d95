/**
 * GET /api/v1/drift: stored drift rows (one per report and feature), newest first, filtered by
 * group, device, feature and report time. What the fleet drift policy and the dashboard read.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { EdgehiveError } from '../../../shared/errors/index.ts';
import { requireRole } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import { parseTime } from './telemetry.ts';

const Id = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: '1-64 characters from A-Z a-z 0-9 _ -' });

export const DriftQuerystring = Type.Object({
  group: Type.Optional(Id),
  device: Type.Optional(Id),
  feature: Type.Optional(Id),
  from: Type.Optional(Type.String({ description: 'epoch milliseconds or ISO 8601; inclusive, on the report time' })),
  to: Type.Optional(Type.String({ description: 'epoch milliseconds or ISO 8601; inclusive, on the report time' })),
  limit: Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 }),
});
type DriftQuerystringT = Static<typeof DriftQuerystring>;

export function driftRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Querystring: DriftQuerystringT }>('/api/v1/drift', {
    onRequest: requireRole(ctx.store, 'viewer'),
    schema: {
      summary: 'Drift reports, one row per report and feature, newest first; feature "" marks a report with only output drift',
      querystring: DriftQuerystring,
    },
  }, async (req) => {
    const q = req.query;
    const fromMs = parseTime('from', q.from);
    const toMs = parseTime('to', q.to);
    if (fromMs !== undefined && toMs !== undefined && fromMs > toMs) throw new EdgehiveError('EH_BAD_REQUEST', `from (${fromMs}) is after to (${toMs})`);
    const rows = await ctx.store.drift.queryDrift({
      limit: q.limit,
      ...(q.group !== undefined ? { group: q.group } : {}),
      ...(q.device !== undefined ? { device: q.device } : {}),
      ...(q.feature !== undefined ? { feature: q.feature } : {}),
      ...(fromMs !== undefined ? { fromMs } : {}),
      ...(toMs !== undefined ? { toMs } : {}),
    });
    return {
      from: fromMs ?? null,
      to: toMs ?? null,
      limit: q.limit,
      count: rows.length,
      /** True when the limit cut the range short: ask again with `to` before the last tsMs. */
      truncated: rows.length >= q.limit,
      rows,
    };
  });
}
