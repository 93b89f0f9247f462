/** An attempt in progress, as `AttemptDeadlines` sees it. */
export interface AbortableAttempt {
  /** True once it ended, however. */
  readonly done: boolean;
  /** Ends it now with `reason` as its error. */
  abort(reason: Error): void;
}

/** Times attempts out, and aborts them all at shutdown. */
export interface AttemptDeadlines {
  /** Watches an attempt that starts now: it is aborted if still running `timeoutMs` from now. */
  track(attempt: AbortableAttempt): void;
  /** Aborts every attempt still running and stops the timer. */
  abortAll(reason: Error): void;
}

/**
 * Deadlines for attempts that all get the same time limit, with one timer in all instead of one per
 * attempt. Attempts are tracked in the order they start, so their deadlines come in that order too:
 * the timer waits for the oldest unfinished one, aborts what has run out when it fires, and moves
 * on to the next. Finished attempts at the front are dropped whenever one starts, so the timer fires
 * about once per `timeoutMs` however many attempts run, and a timeout still ends its attempt on time.
 *
 * @example
 * const deadlines = createAttemptDeadlines(15_000);
 * deadlines.track(attempt); // attempt.abort(new Error('timed out after 15000 ms')) if still running then
 */
export function createAttemptDeadlines(timeoutMs: number): AttemptDeadlines {
  let attempts: AbortableAttempt[] = [];
  let deadlines: number[] = [];
  let head = 0;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Error(`timed out after ${timeoutMs} ms`);

  function sweep(): void {
    timer = undefined;
    const now = performance.now();
    while (head < attempts.length) {
      const attempt = attempts[head] as AbortableAttempt;
      if (!attempt.done) {
        if ((deadlines[head] as number) > now) break;
        attempt.abort(timedOut);
      }
      head++;
    }
    compact();
    if (head < attempts.length) arm((deadlines[head] as number) - now);
  }

  /** Forgets finished attempts at the front, so memory follows what runs, not what ran. */
  function compact(): void {
    while (head < attempts.length && (attempts[head] as AbortableAttempt).done) head++;
    if (head === attempts.length) {
      attempts.length = 0;
      deadlines.length = 0;
      head = 0;
    } else if (head > 1024 && head * 2 > attempts.length) {
      attempts = attempts.slice(head);
      deadlines = deadlines.slice(head);
      head = 0;
    }
  }

  function arm(wait: number): void {
    timer = setTimeout(sweep, Math.max(Math.ceil(wait), 1));
  }

  return {
    track(attempt) {
      compact();
      attempts.push(attempt);
      deadlines.push(performance.now() + timeoutMs);
      if (!timer) arm(timeoutMs);
    },
    abortAll(reason) {
      clearTimeout(timer);
      timer = undefined;
      const running = attempts.slice(head);
      attempts = [];
      deadlines = [];
      head = 0;
      for (const attempt of running) if (!attempt.done) attempt.abort(reason);
    },
  };
}
