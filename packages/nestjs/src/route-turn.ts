import type { ReceiverResponse } from '@caleida/verify';

/**
 * One request the raw-body hook admitted: the core accepted its event and holds the handlers until
 * the Nest route runs, so guards, interceptors and the route's own timing apply to them.
 */
export class RouteTurn {
  /** The core's answer, once the handlers ran (or were refused). */
  response!: Promise<ReceiverResponse>;
  /** Resolves when the core accepted the event and waits for the route. */
  readonly accepted: Promise<void>;
  private readonly routeReached: Promise<void>;
  private signalAccepted!: () => void;
  private enter!: () => void;
  private refuse!: (error: Error) => void;
  private state: 'admitting' | 'waiting' | 'entered' | 'abandoned' = 'admitting';

  constructor() {
    this.accepted = new Promise((resolve) => {
      this.signalAccepted = resolve;
    });
    this.routeReached = new Promise((resolve, reject) => {
      this.enter = resolve;
      this.refuse = reject;
    });
  }

  /** Called by the core's first handler: the event is verified, the handlers wait for the route. */
  waitForRoute(): Promise<void> {
    this.state = 'waiting';
    this.signalAccepted();
    return this.routeReached;
  }

  /** Called by the Nest route: lets the handlers run. */
  enterRoute(): void {
    if (this.state !== 'waiting') return;
    this.state = 'entered';
    this.enter();
  }

  /**
   * Called when the response closed before the route ran (a guard or middleware answered first):
   * the handlers fail, so the core forgets the id and Caleida's retry runs the event again.
   */
  abandon(): void {
    if (this.state !== 'waiting') return;
    this.state = 'abandoned';
    this.refuse(
      new Error(
        '@caleida/nestjs: the request was answered before the webhook route ran (a guard, middleware or filter answered first), so no handler ran.',
      ),
    );
  }
}
