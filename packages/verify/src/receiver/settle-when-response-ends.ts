import type { ServerResponse } from 'node:http';
import { SETTLED } from '../replay/replay-guard.js';
import type { Admission } from './receiver-types.js';

/**
 * For "attach" mode on Node servers: settles the event once the route has finished. An answer
 * that went out with a 2xx marks the id processed; any other status releases it, so Caleida's retry
 * runs the route again.
 *
 * When the sender gives up (timeout, closed connection) before the answer went out, the route may
 * still be running: the id stays claimed (a retry gets 409 `in_flight`) until the route ends its
 * response or the adapter reports that its handler settled, then it is settled by the status the
 * route chose, as above. A connection this side cut (the route destroyed the socket) releases it.
 *
 * @returns `routeFinished(succeeded)`, for adapters that know when the route's handler settled
 * (Koa's `next()`, a Fastify handler's promise); Express routes are seen through `response.end()`.
 */
export function settleWhenResponseEnds(
  response: ServerResponse,
  admission: Extract<Admission, { accepted: true }>,
  logger: Pick<Console, 'error'>,
): (succeeded: boolean) => void {
  let routeDone = false;
  let routeFailed = false;
  let senderGone = false;
  let settled = false;
  const settle = (succeeded: boolean): void => {
    if (settled) return;
    settled = true;
    const ok = succeeded && response.statusCode >= 200 && response.statusCode < 300;
    const settling = admission.settle(ok);
    // An in-process store has recorded it already and returns the shared settled promise.
    if (settling === SETTLED) return;
    settling.catch((error: unknown) => {
      logger.error(
        `[@caleida/verify] the replay store failed to record event ${admission.event.id}: ${String(error)}`,
      );
    });
  };
  // One listener: 'close' follows every response, and writableEnded tells that end() ran (also on
  // injected responses, which never set writableFinished).
  response.once('close', () => {
    if (routeDone || response.writableEnded) {
      settle(!routeFailed);
      return;
    }
    if (!senderLeft(response)) {
      // The route (or the server) cut the connection itself: it decided not to answer.
      settle(false);
      return;
    }
    // The route is still running: wait for it, however it ends (frameworks skip end() on a
    // closed connection, hence the adapter's routeFinished too).
    senderGone = true;
    const end = response.end;
    response.end = function endAfterSenderLeft(this: ServerResponse, ...args: unknown[]) {
      settle(true);
      return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as ServerResponse['end'];
  });
  return function routeFinished(succeeded: boolean): void {
    routeDone = true;
    routeFailed = !succeeded;
    if (senderGone) settle(succeeded);
  };
}

/** Whether the peer closed the connection (end of stream, or a reset), rather than this side. */
function senderLeft(response: ServerResponse): boolean {
  const socket = response.req?.socket;
  if (!socket) return true;
  return socket.readableEnded || socket.errored !== null;
}
