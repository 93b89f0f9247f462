import type { AttemptOutcome } from '../storage/delivery-store.js';
import { attemptRow } from '../storage/write-statements.js';

/** Values per outcome in the writer's `[1, now, ...values]` operation. */
export const OUTCOME_FIELDS = 13;

/**
 * An outcome batch as the writer thread's flat array: one clone of plain values instead of a tree
 * of objects. Each outcome is its `attemptRow()`, then its status and next attempt time.
 */
export function encodeOutcomes(outcomes: readonly AttemptOutcome[], now: number): unknown[] {
  const op: unknown[] = [1, now];
  for (const { deliveryId, attempt, status, nextAttemptAt } of outcomes) {
    op.push(...attemptRow(deliveryId, attempt), status, nextAttemptAt);
  }
  return op;
}
