import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EVENT_TYPES, type Receiver, type ReceiverRequest, type ReceiverResponse } from '@caleida/verify';
import { RouteTurn } from './route-turn.js';

/**
 * The webhook route of one `CaleidaWebhookModule.forRoot()` in one app: its path, its receiver, and
 * the hand-over between the raw-body hook (which runs before Nest's body parser) and the Nest route.
 */
export class WebhookRoute {
  private readonly turns = new WeakMap<IncomingMessage, RouteTurn>();
  private readonly currentTurn = new AsyncLocalStorage<RouteTurn>();

  /**
   * @param receiver this app's receiver
   * @param path the route's path
   * @param marker the same object for every app made from one `forRoot()`: marks its Fastify route
   */
  constructor(
    readonly receiver: Receiver,
    readonly path: string,
    readonly marker: object,
  ) {
    // Registered first, so it runs before any @OnCaleidaEvent() method of every type.
    receiver.on([...EVENT_TYPES, 'unknown'], () => this.currentTurn.getStore()?.waitForRoute());
  }

  /**
   * Runs the core on the untouched request, before any body parser. Resolves with the answer to send
   * right away (a refusal, a duplicate), or with undefined once the event is accepted and waits for
   * the Nest route (then the body is fully read and parsers leave it alone).
   */
  async admitBeforeParsing(
    request: ReceiverRequest,
    raw: IncomingMessage,
    response: ServerResponse,
  ): Promise<ReceiverResponse | undefined> {
    const turn = new RouteTurn();
    turn.response = this.currentTurn.run(turn, () => this.receiver.handle(request));
    const answer = await Promise.race([turn.response, turn.accepted.then(() => undefined)]);
    if (answer) return answer;
    this.turns.set(raw, turn);
    response.once('close', () => turn.abandon());
    return undefined;
  }

  /**
   * Called by the Nest route. For a request the hook admitted, runs its handlers and resolves with
   * the core's answer. For one it did not see (a route reached another way), the core reads what the
   * platform left: `req.rawBody` when the app was created with `rawBody: true`.
   */
  answer(raw: IncomingMessage, unseen: () => ReceiverRequest): Promise<ReceiverResponse> {
    const turn = this.turns.get(raw);
    if (!turn) return this.receiver.handle(unseen());
    this.turns.delete(raw);
    turn.enterRoute();
    return turn.response;
  }
}
