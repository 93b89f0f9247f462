import { generateSecret } from '@caleida/verify';
import { request, rssMiB, startMockServer, startReceiver, triggerEvents } from './mock-server-harness.js';

/** How the server is run for every step: the same in-flight limit whatever the number of webhooks. */
const CONCURRENCY = 16;
// Long enough that no attempt to the paused receiver times out while the backlog is built.
const ATTEMPT_TIMEOUT_MS = 3_600_000;
const WARMUP_DELIVERIES = 2_000;
// No delivery for this long means the drain is stuck, not slow (the slowest step moves thousands a second).
const STALL_MS = 30_000;

/** Figures of one drain: a backlog of `deliveries` to `webhooks` webhooks, delivered once the receiver is back. */
export interface DrainPoint {
  webhooks: number;
  deliveries: number;
  /** Seconds to trigger the events (receiver down). */
  buildSeconds: number;
  /** Seconds from the receiver's return until it has had every delivery. */
  drainSeconds: number;
  /** Deliveries per second while draining. */
  rate: number;
  /** Server RSS once the backlog was built, and its peak while draining, MiB. */
  builtRssMiB: number;
  peakRssMiB: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Builds a backlog while the receiver is down, then brings it back and times the drain. The
 * receiver is a process of its own, paused with SIGSTOP: the kernel still accepts connections, so
 * the first attempts hang (their timeout is an hour) and every other delivery waits, due, in the
 * server (the first 20,000 held claimed in memory, the rest pending in SQLite) with no attempt
 * made or failed. SIGCONT brings it back. A fresh server and database for every step.
 */
export async function measureDrain(
  dir: string,
  { webhooks, deliveries }: { webhooks: number; deliveries: number },
): Promise<DrainPoint> {
  if (deliveries % webhooks !== 0)
    throw new Error(`${deliveries} deliveries do not split over ${webhooks} webhooks`);
  const receiver = await startReceiver();
  const server = await startMockServer(dir, [
    '--concurrency',
    String(CONCURRENCY),
    '--per-webhook-concurrency',
    String(CONCURRENCY),
    '--attempt-timeout-ms',
    String(ATTEMPT_TIMEOUT_MS),
  ]);
  const pid = server.child.pid as number;
  try {
    for (let i = 0; i < webhooks; i++) {
      const created = await request(`${server.url}/v1/webhooks`, 'POST', {
        url: receiver.url,
        name: `curve ${i}`,
        secret: generateSecret(),
        events: ['chat'],
      });
      if (created.status !== 201) throw new Error(`creating a webhook answered ${created.status}`);
    }
    // Warm both processes up (JIT, connections) so that a small step does not time start-up.
    const warmup = Math.ceil(WARMUP_DELIVERIES / webhooks);
    await triggerEvents(server.url, warmup, 'chat');
    while ((await receiver.received()) < warmup * webhooks) await sleep(20);
    const before = await receiver.received();
    receiver.child.kill('SIGSTOP');
    const buildStart = performance.now();
    await triggerEvents(server.url, deliveries / webhooks, 'chat');
    const buildSeconds = (performance.now() - buildStart) / 1000;
    const builtRssMiB = rssMiB(pid);
    let peakRssMiB = builtRssMiB;
    receiver.child.kill('SIGCONT');
    const drainStart = performance.now();
    let got = 0;
    let lastProgress = performance.now();
    while (got < deliveries) {
      peakRssMiB = Math.max(peakRssMiB, rssMiB(pid));
      await sleep(20);
      const now = (await receiver.received()) - before;
      if (now > got) lastProgress = performance.now();
      else if (performance.now() - lastProgress > STALL_MS) {
        const pending = await request(`${server.url}/v1/deliveries?status=pending&limit=1000`, 'GET');
        throw new Error(
          `the drain stalled: ${now} of ${deliveries} deliveries received and none for ${STALL_MS / 1000} s; the server lists ${pending.body?.data?.length ?? '?'} pending (first due ${pending.body?.data?.[0]?.next_attempt_at ?? '-'}).`,
        );
      }
      got = now;
    }
    const drainSeconds = (performance.now() - drainStart) / 1000;
    return {
      webhooks,
      deliveries,
      buildSeconds,
      drainSeconds,
      rate: deliveries / drainSeconds,
      builtRssMiB,
      peakRssMiB,
    };
  } finally {
    receiver.child.kill('SIGCONT');
    receiver.child.kill('SIGKILL');
    server.child.kill('SIGKILL');
  }
}
