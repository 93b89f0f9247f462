import { vi } from 'vitest';

/** Waits until `check` returns true, or fails with `what` after `timeoutMs`. */
export async function waitUntil(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  await vi.waitFor(
    async () => {
      if (!(await check())) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    },
    { timeout: timeoutMs, interval: 50 },
  );
}
