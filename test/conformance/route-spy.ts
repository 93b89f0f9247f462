import type { ReceivedEvent } from '@caleida/verify';

/**
 * Stands for the customer's route (attach mode) or handler (dispatch mode): records every event it
 * gets and does whatever the test sets in `behaviour` (succeed, throw, or wait on a promise).
 */
export class RouteSpy {
  calls: ReceivedEvent[] = [];
  behaviour: (event: ReceivedEvent) => void | Promise<void> = () => {};

  async run(event: ReceivedEvent): Promise<void> {
    this.calls.push(event);
    await this.behaviour(event);
  }

  reset(): void {
    this.calls = [];
    this.behaviour = () => {};
  }
}
