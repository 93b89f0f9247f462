import { pathToFileURL } from 'node:url';
import type { AnyEventHandler } from '@caleida/verify';
import type { RunningReceiver } from './listen.js';

/** Options every example receiver takes. */
export interface ExampleOptions {
  /** The webhook secret, or several while rotating. */
  secret: string | string[];
  /** Default 3000; 0 picks a free port. */
  port?: number;
  /** Called with every verified event. */
  onEvent?: AnyEventHandler;
}

/**
 * When the example file is run directly (not imported), starts it with the secret from
 * CALEIDA_WEBHOOK_SECRET and the port from PORT, and prints each event it receives.
 */
export async function runExample(
  moduleUrl: string,
  start: (options: ExampleOptions) => Promise<RunningReceiver>,
): Promise<void> {
  if (moduleUrl !== pathToFileURL(process.argv[1] ?? '').href) return;
  const secret = process.env.CALEIDA_WEBHOOK_SECRET;
  if (!secret) {
    console.error(
      'Set CALEIDA_WEBHOOK_SECRET to the secret of your webhook (e.g. whsec_...), then run again.',
    );
    process.exit(2);
  }
  try {
    const { url } = await start({
      secret,
      port: Number(process.env.PORT ?? 3000),
      onEvent: (event) => console.log(`${event.type} ${event.id}`),
    });
    console.log(`Receiving Caleida webhooks at ${url}`);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
}
