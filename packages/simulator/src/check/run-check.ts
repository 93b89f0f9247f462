import { buildEvent, signedRequest } from '@caleida/verify/testing';
import { createAgent } from '../http/create-agent.js';
import { DeliveryError } from '../http/delivery-error.js';
import { sendWebhook } from '../http/send-webhook.js';
import { UsageError } from '../usage-error.js';
import { attackCases, type CheckCase } from './attack-cases.js';
import { type GradedCase, gradeCase } from './grade-case.js';

/** Options of `runCheck()`. */
export interface RunCheckOptions {
  url: URL;
  secret: string;
  /** Extra headers sent with every case. */
  headers?: Record<string, string>;
  timeoutMs?: number;
  cases?: readonly CheckCase[];
  onCase?: (graded: GradedCase) => void;
}

/** The graded cases and whether the endpoint passed. */
export interface CheckReport {
  cases: GradedCase[];
  /** True when no required case failed. */
  passed: boolean;
}

/**
 * Sends a valid event, then each attack, one at a time, and grades every answer. An unreachable host
 * throws `UsageError`.
 *
 * @example
 * const report = await runCheck({ url: new URL('http://127.0.0.1:3000/webhooks'), secret });
 * if (!report.passed) process.exitCode = 1;
 */
export async function runCheck({
  url,
  secret,
  headers = {},
  timeoutMs = 10_000,
  cases = attackCases,
  onCase,
}: RunCheckOptions): Promise<CheckReport> {
  const valid = signedRequest({ secret, event: buildEvent('message', { timestamp: new Date() }) });
  const agent = createAgent(url, 1);
  const graded: GradedCase[] = [];
  try {
    for (const check of cases) {
      const request = check.build({ secret, valid });
      let outcome: { status: number | null; body: string; error?: string };
      try {
        const answer = await sendWebhook({
          url,
          method: request.method,
          body: request.body,
          headers: { ...headers, ...request.headers },
          // A receiver may close the connection on a big body; keep that away from the shared one.
          ...(request.body.length > 65_536 ? {} : { agent }),
          timeoutMs,
        });
        outcome = { status: answer.status, body: answer.body };
      } catch (error) {
        if (error instanceof DeliveryError && error.code === 'unreachable') {
          throw new UsageError('unreachable_host', error.message);
        }
        const reason =
          error instanceof DeliveryError ? error.code.replace('_', ' ') : (error as Error).message;
        outcome = { status: null, body: '', error: reason };
      }
      const result = gradeCase(check, outcome);
      graded.push(result);
      onCase?.(result);
    }
  } finally {
    agent.destroy();
  }
  return { cases: graded, passed: graded.every((each) => each.result !== 'fail') };
}
