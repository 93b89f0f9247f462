import { readFile } from 'node:fs/promises';
import { EVENT_TYPES } from '@caleida/verify';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';

/** The folder of the page's files; the same relative path works from src/dashboard and dist/dashboard. */
const PUBLIC_DIR = new URL('../../public/', import.meta.url);

const PAGE_PATH = '/integrations/webhook';

const JAVASCRIPT = 'text/javascript; charset=utf-8';

const CONTENT_TYPES: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  js: JAVASCRIPT,
  svg: 'image/svg+xml',
};

/** Only plain file names reach the file system, so no path can climb out of the assets folder. */
const ASSET_NAME = /^[a-z0-9][a-z0-9-]*\.(css|js|svg)$/;

// The page's list of events comes from the core package, so it can never drift from what is sent.
const EVENT_TYPES_MODULE = `/** The seven Caleida events, from @caleida/verify. */\nexport const EVENT_TYPES = Object.freeze(${JSON.stringify(EVENT_TYPES)});\n`;

// The page loads nothing but its own files and talks only to its own origin.
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Serves the webhook dashboard at `GET /integrations/webhook` and its assets under
 * `/integrations/webhook/assets/`. The page is plain HTML, CSS and an ES module: no build step and
 * nothing fetched from outside, so it works offline. It talks to the /v1 API of the same server.
 *
 * @example
 * const app = Fastify();
 * await app.register(dashboardRoutes);
 */
export const dashboardRoutes: FastifyPluginAsync = async function dashboardRoutes(app) {
  const sendPage = async (_request: unknown, reply: FastifyReply) => {
    const html = await readFile(new URL('index.html', PUBLIC_DIR));
    return reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-cache')
      .send(html);
  };
  app.get(PAGE_PATH, sendPage);
  app.get(`${PAGE_PATH}/`, sendPage);

  app.get(`${PAGE_PATH}/assets/event-types.js`, async (_request, reply) =>
    reply
      .type(CONTENT_TYPES.js as string)
      .header('cache-control', 'no-cache')
      .send(EVENT_TYPES_MODULE),
  );

  app.get<{ Params: { name: string } }>(`${PAGE_PATH}/assets/:name`, async (request, reply) => {
    const { name } = request.params;
    const extension = ASSET_NAME.exec(name)?.[1];
    const contentType = extension ? CONTENT_TYPES[extension] : undefined;
    if (!contentType) return reply.code(404).send({ code: 'not_found', message: `No asset named ${name}.` });
    let body: Buffer;
    try {
      body = await readFile(new URL(`assets/${name}`, PUBLIC_DIR));
    } catch {
      return reply.code(404).send({ code: 'not_found', message: `No asset named ${name}.` });
    }
    return reply
      .type(contentType)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-cache')
      .send(body);
  });
};
