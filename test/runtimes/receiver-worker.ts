/**
 * The receiver app as a worker module (`export default { fetch(request, env) }`), the shape workerd
 * runs and bun-serve.ts / deno-serve.ts serve; configured by the CALEIDA_RUNTIME_CONFIG binding.
 */
import { receiverApp } from './receiver-app.js';
import { runtimeConfig } from './runtime-config.js';

let app: ((request: Request) => Promise<Response>) | undefined;

export default {
  fetch(request: Request, env: { CALEIDA_RUNTIME_CONFIG?: string }): Promise<Response> {
    if (!app) {
      const { secret, maxBodyBytes, testProcessUrl } = runtimeConfig(env.CALEIDA_RUNTIME_CONFIG);
      app = receiverApp({
        secret,
        maxBodyBytes,
        callTestProcess: (path, body) => fetch(new URL(path, testProcessUrl), { method: 'POST', body }),
      });
    }
    return app(request);
  },
};
