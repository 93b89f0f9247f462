import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { type AbortableAttempt, createAttemptDeadlines } from '../src/delivery/attempt-deadlines.js';

function attempt(finishAfterMs?: number) {
  const started = performance.now();
  const record: { -readonly [K in keyof AbortableAttempt]: AbortableAttempt[K] } & {
    reason?: string;
    endedAfterMs?: number;
  } = {
    done: false,
    abort(reason) {
      record.done = true;
      record.reason = reason.message;
      record.endedAfterMs = performance.now() - started;
    },
  };
  if (finishAfterMs !== undefined)
    setTimeout(() => {
      record.done = true;
    }, finishAfterMs);
  return record;
}

// The deadlines are a clock: a fake one moves exactly as far as each step says.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

it('createAttemptDeadlines() aborts each attempt still running when its own limit runs out', () => {
  const deadlines = createAttemptDeadlines(100);
  const first = attempt();
  const quick = attempt(10);
  deadlines.track(first);
  deadlines.track(quick);
  vi.advanceTimersByTime(50);
  const second = attempt();
  deadlines.track(second);
  vi.advanceTimersByTime(80);
  expect(first).toMatchObject({ done: true, reason: 'timed out after 100 ms' });
  expect(first.endedAfterMs).toBeGreaterThanOrEqual(99);
  expect(quick.reason).toBeUndefined();
  expect(second.done).toBe(false);
  vi.advanceTimersByTime(50);
  expect(second).toMatchObject({ done: true, reason: 'timed out after 100 ms' });
  expect(second.endedAfterMs).toBeGreaterThanOrEqual(99);
});

it('abortAll() ends every running attempt with the reason given', () => {
  const deadlines = createAttemptDeadlines(10_000);
  const running = [attempt(), attempt()];
  for (const one of running) deadlines.track(one);
  deadlines.abortAll(new Error('aborted: the mock server is shutting down'));
  for (const one of running) expect(one.reason).toBe('aborted: the mock server is shutting down');
});
