import type { z } from 'zod';
import { ApiError, type FieldIssue } from './api-error.js';

/** Most field problems listed in one answer: a list of 100,000 bad items gets the first ones. */
export const MAX_DETAILS = 20;

/**
 * Validates a body or query with `schema`, or throws `validation_failed` listing the fields that
 * are wrong (the first `MAX_DETAILS`). `prefix` names nested input (`data.` for an event's data).
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = toDetails(result.error, prefix);
  throw new ApiError(
    'validation_failed',
    details.length > MAX_DETAILS
      ? `Some fields are not valid; details lists the first ${MAX_DETAILS} of ${details.length} problems.`
      : 'Some fields are not valid; see details.',
    details.slice(0, MAX_DETAILS),
  );
}

/** Zod issues as field-level details. */
export function toDetails(error: z.ZodError, prefix = ''): FieldIssue[] {
  return error.issues.flatMap((issue): FieldIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: `${prefix}${key}`, message: `${key} is not a known field` }));
    }
    const path = issue.path.map(String).filter((part) => !/^\d+$/.test(part));
    const field = path.length > 0 ? `${prefix}${path.join('.')}` : prefix ? prefix.slice(0, -1) : 'body';
    return [{ field, message: issue.message }];
  });
}
