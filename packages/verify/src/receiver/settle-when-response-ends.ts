import type { ServerResponse } from 'node:http';
import type { Admission } from './receiver-types.js';

/**
 * For "attach" mode on Node servers: marks the event processed once the route's answer went out
 * with a 2xx; any other status, or a connection closed before the answer finished, releases the id
 * so Caleida's retry runs it again.
 */
export function settleWhenResponseEnds(
  response: ServerResponse,
  admission: Extract<Admission, { accepted: true }>,
  logger: Pick<Console, 'error'>,
): void {
  // 'finish' rather than response.writableFinished: injected responses (fastify.inject) never set it.
  let finished = false;
  response.once('finish', () => {
    finished = true;
  });
  response.once('close', () => {
    const succeeded = finished && response.statusCode >= 200 && response.statusCode < 300;
    admission.settle(succeeded).catch((error: unknown) => {
      logger.error(
        `[@caleida/verify] the replay store failed to record event ${admission.event.id}: ${String(error)}`,
      );
    });
  });
}
