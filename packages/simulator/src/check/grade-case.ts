import type { CheckCase } from './attack-cases.js';

/** A case's verdict: `unverified` passes but says what could not be seen from outside. */
export type CaseResult = 'pass' | 'fail' | 'warn' | 'unverified';

/** What the endpoint did with one case. */
export interface CaseOutcome {
  /** `null` when there was no HTTP answer. */
  status: number | null;
  body: string;
  error?: string;
}

/** A graded case, as printed in the table. */
export interface GradedCase {
  name: string;
  required: boolean;
  expected: string;
  got: string;
  result: CaseResult;
  /** For a fail or warn: why it matters and how to fix it. */
  risk?: string;
  fix?: string;
  /** Advisory remark on a pass (e.g. not the exact recommended status). */
  note?: string;
}

/** The `expected` column: what a correct receiver answers. */
export function describeExpectation(check: CheckCase): string {
  if (check.expect === 'accept') return '2xx';
  if (check.expect === 'accept-duplicate') return '2xx/409, not re-run';
  return `4xx (${check.recommended})`;
}

/**
 * Grades one case from the status code, which is all that can be seen from outside. Rejections pass
 * on any 4xx (a note names the recommended code); a failed required case is `fail`, a failed advisory
 * case `warn`; a replay answered 2xx without `"duplicate": true` is `unverified`.
 */
export function gradeCase(check: CheckCase, outcome: CaseOutcome): GradedCase {
  const { status } = outcome;
  const base = {
    name: check.name,
    required: check.required,
    expected: describeExpectation(check),
    got: status === null ? `no answer (${outcome.error ?? 'connection closed'})` : String(status),
  };
  const failed = (extra?: string): GradedCase => ({
    ...base,
    result: check.required ? 'fail' : 'warn',
    risk: extra ? `${check.risk} (${extra})` : check.risk,
    fix: check.fix,
  });
  const is2xx = status !== null && status >= 200 && status < 300;

  if (check.expect === 'accept') return is2xx ? { ...base, result: 'pass' } : failed();
  if (check.expect === 'accept-duplicate') {
    if (status === 409)
      return { ...base, result: 'pass', note: '409: the copy was refused while or after the first ran' };
    if (!is2xx) return failed();
    if (/"duplicate"\s*:\s*true/.test(outcome.body)) {
      return {
        ...base,
        got: `${status} duplicate`,
        result: 'pass',
        note: 'the endpoint said it recognised the copy',
      };
    }
    return {
      ...base,
      result: 'unverified',
      note: 'answered 2xx, but whether the handler ran twice cannot be seen from outside; answer {"duplicate": true} for copies to make it visible',
    };
  }
  if (status === null) {
    // Closing the connection on an oversized body still refuses it.
    if (check.recommended === 413)
      return { ...base, result: 'pass', note: 'refused by closing the connection; 413 is clearer' };
    return failed('no HTTP answer');
  }
  if (status >= 400 && status < 500) {
    return status === check.recommended
      ? { ...base, result: 'pass' }
      : {
          ...base,
          result: 'pass',
          note: `advisory: ${check.recommended} is the recommended status (statusForCode)`,
        };
  }
  if (status >= 500)
    return failed(
      `a ${status} tells Caleida to retry, and the request may have been processed before failing`,
    );
  return failed();
}
