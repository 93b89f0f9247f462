import { createServer } from 'node:http';
import { caleidaWebhook } from '@caleida/express-middleware';
import { createReceiver, type ReceiverOptions } from '@caleida/verify';
import express from 'express';
import { listen, type RunningReceiver } from '../../../examples/lib/listen.js';

/** An Express receiver that counts what reached it and how often each event's handler ran. */
export interface CountingReceiver extends RunningReceiver {
  /** Handler runs per event id. */
  runs: Map<string, number>;
  /** Requests that reached the app, verified or not. */
  readonly requests: number;
  /** Requests whose response is done (answered, or the connection closed). */
  readonly answered: number;
}

/**
 * Starts the Express middleware on 127.0.0.1 with a receiver for `secret` (and `replayStore`, the
 * in-memory one by default) whose handler counts its runs per event id.
 *
 * @example
 * const receiver = await startCountingReceiver({ secret });
 * // ...deliver to receiver.url, then:
 * expect([...receiver.runs.values()].every((count) => count === 1)).toBe(true);
 */
export async function startCountingReceiver({
  secret,
  replayStore,
}: {
  secret: string;
  replayStore?: ReceiverOptions['replayStore'];
}): Promise<CountingReceiver> {
  const runs = new Map<string, number>();
  let requests = 0;
  let answered = 0;
  const app = express();
  app.use((_req, res, next) => {
    requests++;
    res.once('close', () => answered++);
    next();
  });
  const dispatcher = createReceiver({ secret, ...(replayStore === undefined ? {} : { replayStore }) }).onAny(
    (event) => {
      runs.set(event.id, (runs.get(event.id) ?? 0) + 1);
    },
  );
  app.post('/webhooks/caleida', caleidaWebhook({ receiver: dispatcher }));
  const running = await listen(createServer(app), 0);
  return {
    url: running.url,
    close: running.close,
    runs,
    get requests() {
      return requests;
    },
    get answered() {
      return answered;
    },
  };
}
