/**
 * Serves a worker module (`export default { fetch(request, env) }`, CALEIDA_APP_MODULE) with
 * Deno.serve on 127.0.0.1 and a free port, the environment as `env`; prints `listening <url>`.
 */
declare const Deno: {
  env: { get(name: string): string | undefined; toObject(): Record<string, string> };
  serve(
    options: { hostname: string; port: number; onListen(address: { port: number }): void },
    handler: (request: Request) => Promise<Response>,
  ): unknown;
};

type WorkerModule = { default: { fetch(request: Request, env: object): Promise<Response> | Response } };

const { default: app } = (await import(Deno.env.get('CALEIDA_APP_MODULE') ?? '')) as WorkerModule;
const env = Deno.env.toObject();
Deno.serve(
  {
    hostname: '127.0.0.1',
    port: 0,
    onListen: ({ port }) => console.log(`listening http://127.0.0.1:${port}`),
  },
  async (request) => app.fetch(request, env),
);
