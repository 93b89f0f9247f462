/**
 * The same route handler in the Edge runtime: POST /api/webhooks/caleida-edge.
 *
 * @caleida/verify signs with node:crypto, which the Edge runtime does not have: a static import
 * would make `next build` fail for the whole app ("Failed to load external module node:crypto").
 * Imported at the first request instead, the app builds, and this route says what is wrong.
 */
export const runtime = 'edge';

type Handler = (request: Request) => Promise<Response>;
let handleWebhook: Promise<Handler> | undefined;

export async function POST(request: Request): Promise<Response> {
  handleWebhook ??= import('@caleida/verify').then(({ createFetchHandler, createReceiver }) =>
    createFetchHandler(createReceiver({ secret: process.env.CALEIDA_WEBHOOK_SECRET ?? '' })),
  );
  let handler: Handler;
  try {
    handler = await handleWebhook;
  } catch (error) {
    handleWebhook = undefined;
    return Response.json(
      {
        code: 'runtime_unsupported',
        message: `@caleida/verify cannot load in the Edge runtime (${(error as Error).message}); run this route in the Node.js runtime: export const runtime = 'nodejs'.`,
      },
      { status: 500 },
    );
  }
  return handler(request);
}
