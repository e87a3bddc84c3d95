/** Request schemas of the API (TypeBox, so fastify validates and openapi.ts describes them). */
import { Type, type Static } from '@sinclair/typebox';

const Id = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: '1-64 characters from A-Z a-z 0-9 _ -' });

export const DeviceParams = Type.Object({ id: Id });

export const ProvisionBody = Type.Object({
  id: Id,
  group: Type.Optional(Id),
  profile: Id,
  publicKey: Type.String({ pattern: '^[A-Za-z0-9+/]{43}=$', description: 'raw 32-byte ed25519 public key, base64' }),
}, { additionalProperties: false });

export const DeviceListQuery = Type.Object({
  group: Type.Optional(Id),
  profile: Type.Optional(Id),
  online: Type.Optional(Type.Boolean()),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
});

export const TelemetryQuerystring = Type.Object({
  from: Type.Optional(Type.String({ description: 'epoch milliseconds or ISO 8601; inclusive' })),
  to: Type.Optional(Type.String({ description: 'epoch milliseconds or ISO 8601; inclusive' })),
  limit: Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 }),
  stream: Type.Optional(Id),
});

export const TokenBody = Type.Object({
  name: Id,
  role: Type.Union([Type.Literal('viewer'), Type.Literal('operator'), Type.Literal('admin')]),
}, { additionalProperties: false });

export type DeviceParamsT = Static<typeof DeviceParams>;
export type ProvisionBodyT = Static<typeof ProvisionBody>;
export type DeviceListQueryT = Static<typeof DeviceListQuery>;
export type TelemetryQuerystringT = Static<typeof TelemetryQuerystring>;
export type TokenBodyT = Static<typeof TokenBody>;
