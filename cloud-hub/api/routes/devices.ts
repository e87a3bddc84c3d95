/** Devices: provision (operator), list and get (viewer). */
import type { FastifyInstance } from 'fastify';
import { EdgehiveError } from '../../../shared/errors/index.ts';
import { actorOf, requireRole } from '../auth.ts';
import { deviceJson, type ApiContext } from '../context.ts';
import { DeviceListQuery, DeviceParams, ProvisionBody, type DeviceListQueryT, type DeviceParamsT, type ProvisionBodyT } from '../schemas.ts';

export function deviceRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const viewer = requireRole(ctx.store, 'viewer');
  const operator = requireRole(ctx.store, 'operator');

  app.post<{ Body: ProvisionBodyT }>('/api/v1/devices', {
    onRequest: operator,
    schema: { summary: 'Provision a device: register its id, group, profile and public key; returns its agent config', body: ProvisionBody },
  }, async (req, reply) => {
    const { result, created } = await ctx.provision(req.body, actorOf(req));
    return reply.status(created ? 201 : 200).send({ device: deviceJson(result.device), agentConfig: result.agentConfig });
  });

  app.get<{ Querystring: DeviceListQueryT }>('/api/v1/devices', {
    onRequest: viewer,
    schema: { summary: 'List devices, filtered by group, profile or online state', querystring: DeviceListQuery },
  }, async (req) => {
    const q = req.query;
    const devices = await ctx.store.listDevices({
      limit: q.limit, offset: q.offset,
      ...(q.group !== undefined ? { group: q.group } : {}),
      ...(q.profile !== undefined ? { profile: q.profile } : {}),
      ...(q.online !== undefined ? { online: q.online } : {}),
    });
    return { devices: devices.map(deviceJson), limit: q.limit, offset: q.offset };
  });

  app.get<{ Params: DeviceParamsT }>('/api/v1/devices/:id', {
    onRequest: viewer,
    schema: { summary: 'One device with its state and counters', params: DeviceParams },
  }, async (req) => {
    const d = await ctx.store.getDevice(req.params.id);
    if (!d) throw new EdgehiveError('EH_NOT_FOUND', `device ${req.params.id} is not provisioned on this hub; GET /api/v1/devices lists those that are`);
    return deviceJson(d);
  });
}
