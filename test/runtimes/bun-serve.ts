/**
 * Serves a worker module (`export default { fetch(request, env) }`, CALEIDA_APP_MODULE) with
 * Bun.serve on 127.0.0.1 and a free port, the environment as `env`; prints `listening <url>`.
 */
declare const Bun: {
  serve(options: { hostname: string; port: number; fetch: (request: Request) => Promise<Response> }): {
    url: URL;
  };
};

type WorkerModule = { default: { fetch(request: Request, env: object): Promise<Response> | Response } };

const { default: app } = (await import(process.env.CALEIDA_APP_MODULE ?? '')) as WorkerModule;
const server = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  fetch: async (request) => app.fetch(request, process.env),
});
console.log(`listening ${server.url.origin}`);
