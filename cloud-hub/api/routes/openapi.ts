/**
 * GET /api/v1/openapi.json: a minimal OpenAPI 3.0 document built from the route schemas
 * themselves (collected with fastify's onRoute hook), so it cannot drift from the code.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';

declare module 'fastify' {
  interface FastifySchema {
    /** One line for the OpenAPI document. */
    summary?: string;
  }
}

interface RouteInfo { method: string; url: string; schema: Record<string, unknown>; secured: boolean }

type JsonSchema = { properties?: Record<string, unknown>; required?: string[] } & Record<string, unknown>;

/** Call before the routes are registered. */
export function collectRoutes(app: FastifyInstance): RouteInfo[] {
  const routes: RouteInfo[] = [];
  app.addHook('onRoute', (r: RouteOptions) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    for (const method of methods) {
      if (method === 'HEAD' || !r.url.startsWith('/')) continue;
      routes.push({ method: method.toLowerCase(), url: r.url, schema: (r.schema ?? {}) as Record<string, unknown>, secured: r.onRequest !== undefined });
    }
  });
  return routes;
}

function parameters(where: 'path' | 'query', schema: unknown): unknown[] {
  const s = schema as JsonSchema | undefined;
  if (!s?.properties) return [];
  return Object.entries(s.properties).map(([name, p]) => ({
    name, in: where, required: where === 'path' || (s.required ?? []).includes(name), schema: p,
    ...((p as { description?: string }).description ? { description: (p as { description: string }).description } : {}),
  }));
}

export function openapiDocument(routes: readonly RouteInfo[], version: string): unknown {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    if (r.url === '/api/v1/openapi.json') continue;
    const path = r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const op: Record<string, unknown> = {
      summary: r.schema.summary ?? '',
      parameters: [...parameters('path', r.schema.params), ...parameters('query', r.schema.querystring)],
      responses: {
        default: { description: 'JSON; errors are {"error": {"code", "message"}}' },
        ...(r.secured ? { 401: { description: 'no or unknown bearer token' }, 403: { description: 'the token\'s role is too low' } } : {}),
      },
      ...(r.secured ? { security: [{ bearer: [] }] } : {}),
      ...(r.schema.body ? { requestBody: { required: true, content: { 'application/json': { schema: r.schema.body } } } } : {}),
    };
    (paths[path] ??= {})[r.method] = op;
  }
  return {
    openapi: '3.0.3',
    info: { title: 'edgehive hub API', version },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}

export function openapiRoute(app: FastifyInstance, routes: readonly RouteInfo[], version: string): void {
  let doc: string | null = null;
  app.get('/api/v1/openapi.json', async (_req, reply) => {
    doc ??= JSON.stringify(openapiDocument(routes, version));
    return reply.type('application/json').send(doc);
  });
}
