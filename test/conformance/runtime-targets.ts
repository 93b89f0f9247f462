import type { ReceivedEvent } from '@caleida/verify';
import {
  RECEIVER_WORKER,
  RUNTIMES,
  type RuntimeName,
  startRuntime,
  startTestProcessBridge,
} from '../runtimes/start-runtime.js';
import type { Target } from './targets.js';

const RUNTIME_LABELS: Record<RuntimeName, string> = {
  bun: 'Bun',
  deno: 'Deno',
  workerd: 'workerd (miniflare)',
};

/**
 * The fetch handler of @caleida/verify/web (Web Crypto, no node:*) served by Bun, Deno and workerd
 * in their own processes. The route spy and the logger stay in this process: the runtime's handler
 * calls back over HTTP, and a failed call makes its handler throw.
 */
function runtimeTarget(runtime: RuntimeName): Target {
  return {
    name: `createFetchHandler, Web build, in ${RUNTIME_LABELS[runtime]} (dispatch)`,
    mode: 'dispatch',
    hasRawPath: false,
    fix: /request\.json\(\)/,
    async start(options, spy) {
      const bridge = await startTestProcessBridge({
        run: (event) => spy.run(event as ReceivedEvent),
        log: (line) => options.logger?.error(line),
      });
      const config = {
        secret: options.secret as string,
        maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
        testProcessUrl: bridge.url,
      };
      try {
        const server = await startRuntime(runtime, RECEIVER_WORKER, {
          CALEIDA_RUNTIME_CONFIG: JSON.stringify(config),
        });
        return {
          url: server.url,
          close: async () => {
            await server.close();
            await bridge.close();
          },
        };
      } catch (error) {
        await bridge.close();
        throw error;
      }
    },
  };
}

/** One conformance target per runtime. */
export const runtimeTargets: Target[] = RUNTIMES.map(runtimeTarget);
