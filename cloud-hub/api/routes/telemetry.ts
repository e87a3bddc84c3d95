/** GET /api/v1/devices/:id/telemetry: readings in a time range, oldest first, null where missing. */
import type { FastifyInstance } from 'fastify';
import { EdgehiveError } from '../../../shared/errors/index.ts';
import { requireRole } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import { DeviceParams, TelemetryQuerystring, type DeviceParamsT, type TelemetryQuerystringT } from '../schemas.ts';

/** Epoch milliseconds ("1732300000000") or ISO 8601 ("2026-11-22T20:00:00Z"). */
export function parseTime(field: string, s: string | undefined): number | undefined {
  if (s === undefined || s === '') return undefined;
  const t = /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : /^\d{4}-\d{2}-\d{2}/.test(s) ? Date.parse(s) : Number.NaN;
  if (!Number.isFinite(t)) throw new EdgehiveError('EH_BAD_REQUEST', `${field}=${JSON.stringify(s.slice(0, 40))} is neither epoch milliseconds nor an ISO 8601 time`, { field });
  return t;
}

export function telemetryRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Params: DeviceParamsT; Querystring: TelemetryQuerystringT }>('/api/v1/devices/:id/telemetry', {
    onRequest: requireRole(ctx.store, 'viewer'),
    schema: { summary: 'Telemetry of one device in [from, to], oldest first; values are null where missing', params: DeviceParams, querystring: TelemetryQuerystring },
  }, async (req) => {
    const { id } = req.params;
    const q = req.query;
    const fromMs = parseTime('from', q.from);
    const toMs = parseTime('to', q.to);
    if (fromMs !== undefined && toMs !== undefined && fromMs > toMs) throw new EdgehiveError('EH_BAD_REQUEST', `from (${fromMs}) is after to (${toMs})`);
    if (!(await ctx.store.getDevice(id))) throw new EdgehiveError('EH_NOT_FOUND', `device ${id} is not provisioned on this hub`);
    const page = await ctx.store.queryTelemetry(id, {
      limit: q.limit,
      ...(q.stream !== undefined ? { stream: q.stream } : {}),
      ...(fromMs !== undefined ? { fromMs } : {}),
      ...(toMs !== undefined ? { toMs } : {}),
    });
    return {
      device: id,
      from: fromMs ?? null,
      to: toMs ?? null,
      limit: q.limit,
      count: page.readings.length,
      /** True when the limit cut the range short: ask again from the last tsMs. */
      truncated: page.readings.length >= q.limit,
      features: page.features,
      readings: page.readings,
    };
  });
}
