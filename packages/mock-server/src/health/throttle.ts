/** Pauses of the 502/504 throttle. */
export interface ThrottleTimings {
  /** The pause after a first 502/504, and the one below which a halved pause lifts the throttle. Default 1,000 ms. */
  minPauseMs: number;
  /** The longest pause, however many 502/504 follow. Default 60,000 ms. */
  maxPauseMs: number;
}

/** The throttle's defaults. */
export const DEFAULT_THROTTLE: ThrottleTimings = { minPauseMs: 1_000, maxPauseMs: 60_000 };

/** Slows down the deliveries of webhooks whose receiver answers 502 or 504. */
export interface Throttle {
  /** Takes the status code an attempt got (null without a response). */
  attempted(webhookId: string, statusCode: number | null): void;
  /** Whether the webhook may start another attempt now, with `active` of its attempts in flight. */
  canStart(webhookId: string, active: number): boolean;
  /** How many more of its deliveries to claim, `room` when it is not throttled; `busy` are in flight or queued. */
  capacity(webhookId: string, room: number, busy: number): number;
  /** Whether the webhook is throttled now. */
  isThrottled(webhookId: string): boolean;
  /** Forgets every throttle and its timer. */
  close(): void;
}

interface Slowed {
  pauseMs: number;
  /** No attempt starts before this time. */
  nextAt: number;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Makes the 502/504 throttle. A 502 or 504 marks the receiver as struggling: its webhook gets at most
 * one attempt in flight and a pause between attempts, `minPauseMs` at first, doubled by each further
 * 502/504 up to `maxPauseMs`, halved by each 2xx; when a halved pause drops below `minPauseMs` the
 * throttle lifts. Other answers keep the pause as it is. Other webhooks are not affected. Each call
 * is O(1): one map lookup, no storage.
 *
 * @param onReady Called when a throttled webhook's pause is over (the engine looks for work).
 * @example
 * const throttle = createThrottle({ ...DEFAULT_THROTTLE, onReady: () => engine.wake() });
 */
export function createThrottle({
  minPauseMs,
  maxPauseMs,
  onReady,
  now = Date.now,
}: ThrottleTimings & { onReady(): void; now?: () => number }): Throttle {
  const slowed = new Map<string, Slowed>();

  function pauseUntil(state: Slowed): void {
    state.nextAt = now() + state.pauseMs;
    clearTimeout(state.timer);
    // A millisecond more: a timer may fire within the millisecond `nextAt` rounds into.
    state.timer = setTimeout(onReady, state.pauseMs + 1);
    state.timer.unref();
  }

  return {
    attempted(webhookId, statusCode) {
      let state = slowed.get(webhookId);
      if (statusCode === 502 || statusCode === 504) {
        if (state) state.pauseMs = Math.min(state.pauseMs * 2, maxPauseMs);
        else {
          state = { pauseMs: minPauseMs, nextAt: 0, timer: undefined };
          slowed.set(webhookId, state);
        }
        pauseUntil(state);
        return;
      }
      if (!state) return;
      if (statusCode !== null && statusCode >= 200 && statusCode < 300) {
        state.pauseMs /= 2;
        if (state.pauseMs < minPauseMs) {
          clearTimeout(state.timer);
          slowed.delete(webhookId);
          onReady();
          return;
        }
      }
      pauseUntil(state);
    },
    canStart(webhookId, active) {
      const state = slowed.get(webhookId);
      return state === undefined || (active === 0 && now() >= state.nextAt);
    },
    capacity(webhookId, room, busy) {
      if (!slowed.has(webhookId)) return room;
      return busy === 0 ? 1 : 0;
    },
    isThrottled: (webhookId) => slowed.has(webhookId),
    close() {
      for (const state of slowed.values()) clearTimeout(state.timer);
      slowed.clear();
    },
  };
}
