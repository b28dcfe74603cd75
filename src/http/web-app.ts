/**
 * The web app (`web/`, built by Vite into `web/dist`) served from the API's own origin, so the
 * session cookie can be SameSite=Strict and no CORS is ever needed. Files under `assets/` have
 * content hashes in their names and are cached for a year; every other path that is not a file
 * is a client-side route and gets `index.html`. The API (`/v1`, `/openapi.json`, `/docs`,
 * `/health`) is registered separately and always wins; an unknown `/v1/…` path stays a JSON 404.
 *
 * @example
 * webAppRoutes(app, { root: '/srv/sprout/web/dist' });
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyReply } from 'fastify';
import { publicAccess } from './access.js';
import type { TypedApp } from './app-context.js';

/** Paths that belong to the API: never answered with the web app's `index.html`. */
const API_PATHS = /^\/(v1|openapi\.json|docs|health)(\/|$)/;

/**
 * What the browser may do with our pages: scripts and data from our origin only, no framing.
 * Inline styles are allowed because ECharts and React set `style` attributes.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Sprout</title>
<p>The web app has not been built. Run <code>npm run build:web</code> (or <code>npm start</code>, which builds it first). The API is at <a href="/docs">/docs</a>.</p>`;

export async function webAppRoutes(app: TypedApp, options: { readonly root: string }): Promise<void> {
  // serve: false — the route below is ours, so it declares its access like every other route.
  await app.register(fastifyStatic, { root: options.root, serve: false, cacheControl: false, etag: true, lastModified: true });

  app.get(
    '/*',
    { config: { access: publicAccess }, schema: { hide: true } },
    async (request, reply) => {
      const path = decodeURIComponent(request.url.split('?')[0] ?? '/');
      if (API_PATHS.test(path)) return reply.callNotFound();
      securityHeaders(reply);
      const lastSegment = path.slice(path.lastIndexOf('/') + 1);
      if (lastSegment.includes('.')) {
        // A file: hashed assets never change; anything else is revalidated. A missing file is a 404.
        reply.header('cache-control', path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
        return reply.sendFile(path.slice(1));
      }
      if (!existsSync(join(options.root, 'index.html'))) return reply.status(503).type('text/html; charset=utf-8').send(NOT_BUILT);
      // A client-side route (/, /login, /dashboard…): the app decides what to show.
      reply.header('cache-control', 'no-cache');
      return reply.sendFile('index.html');
    },
  );
}

function securityHeaders(reply: FastifyReply): void {
  reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'same-origin');
  reply.header('x-frame-options', 'DENY');
}
