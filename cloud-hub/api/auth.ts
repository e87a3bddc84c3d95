/**
 * Bearer tokens with roles (viewer < operator < admin). Only the sha256 of a token is stored;
 * the token itself is shown once, when it is made. On first start the hub makes an admin token
 * (or seeds a known one from config/env).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { Clock } from '../../shared/time/clock.ts';
import type { Role, Store, TokenRecord } from '../store/types.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The token that authorised this request; null on unauthenticated routes. */
    token: TokenRecord | null;
  }
}

const RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function newTokenSecret(): string {
  return `eh_${randomBytes(32).toString('base64url')}`;
}

export async function createToken(store: Store, clock: Clock, name: string, role: Role, secret = newTokenSecret()): Promise<{ record: TokenRecord; token: string }> {
  const record: TokenRecord = { id: randomBytes(6).toString('hex'), name, role, hash: hashToken(secret), createdAtMs: clock.now() };
  await store.createToken(record);
  return { record, token: secret };
}

/**
 * Makes sure an admin can get in. Returns the admin token when this call created it (first
 * start, or a bootstrap token not stored yet), else null.
 */
export async function ensureAdminToken(store: Store, clock: Clock, bootstrap?: string): Promise<string | null> {
  if (bootstrap) {
    if (await store.findTokenByHash(hashToken(bootstrap))) return null;
    const { token } = await createToken(store, clock, 'bootstrap-admin', 'admin', bootstrap);
    await store.appendAudit({ atMs: clock.now(), actor: 'hub', action: 'token.create', target: 'bootstrap-admin', details: { role: 'admin', source: 'bootstrap' } });
    return token;
  }
  if ((await store.countTokens()) > 0) return null;
  const { token } = await createToken(store, clock, 'initial-admin', 'admin');
  await store.appendAudit({ atMs: clock.now(), actor: 'hub', action: 'token.create', target: 'initial-admin', details: { role: 'admin', source: 'first start' } });
  return token;
}

/** An onRequest hook admitting tokens of at least `role`. */
export function requireRole(store: Store, role: Role) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const header = req.headers.authorization;
    const m = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!m) {
      reply.header('www-authenticate', 'Bearer realm="edgehive"');
      throw new EdgehiveError('EH_API_UNAUTHORIZED', 'send "Authorization: Bearer <token>"; the hub printed an admin token on its first start');
    }
    const token = await store.findTokenByHash(hashToken(m[1]!));
    if (!token) {
      reply.header('www-authenticate', 'Bearer realm="edgehive", error="invalid_token"');
      throw new EdgehiveError('EH_API_UNAUTHORIZED', 'the bearer token is not known to this hub');
    }
    if (RANK[token.role] < RANK[role]) {
      throw new EdgehiveError('EH_API_FORBIDDEN', `this needs the ${role} role; the token "${token.name}" has ${token.role}`);
    }
    req.token = token;
  };
}

export function actorOf(req: FastifyRequest): string {
  return req.token ? `token:${req.token.name}` : 'anonymous';
}
