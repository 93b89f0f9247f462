import { createReceiver, type Receiver } from './create-receiver.js';
import type { ReceiverOptions } from './receiver-types.js';

/** What every framework adapter takes: the receiver's options ("attach" mode), or a receiver with handlers ("dispatch" mode). */
export type AdapterOptions = ReceiverOptions | { receiver: Receiver };

/**
 * Builds (or takes) an adapter's receiver once, at construction, so a bad option fails at start-up
 * with an error that names the adapter's package. `dispatch` is true when a receiver was given: the
 * adapter then runs its handlers and answers by itself.
 */
export function resolveAdapterOptions(
  options: AdapterOptions,
  packageName: string,
): { receiver: Receiver; dispatch: boolean } {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      `${packageName}: pass options, e.g. { secret: process.env.CALEIDA_WEBHOOK_SECRET }, or { receiver } made with createReceiver().`,
    );
  }
  if ('receiver' in options) {
    const { receiver } = options;
    if (typeof receiver?.handle !== 'function' || typeof receiver.admit !== 'function') {
      throw new TypeError(`${packageName}: \`receiver\` must come from createReceiver() of @caleida/verify.`);
    }
    if ('secret' in options) {
      throw new TypeError(
        `${packageName}: pass either \`receiver\` (its options already hold the secret) or \`secret\`, not both.`,
      );
    }
    return { receiver, dispatch: true };
  }
  try {
    return { receiver: createReceiver(options), dispatch: false };
  } catch (error) {
    throw new TypeError((error as Error).message.replace('@caleida/verify', packageName));
  }
}
