import type { AttemptOutcome } from './delivery-store.js';
import type { Db } from './open-database.js';
import { attemptRow, WRITE_SQL } from './write-statements.js';

/** `DeliveryStore.recordAttempts()`: see there. */
export type RecordAttempts = (outcomes: readonly AttemptOutcome[], now: number) => void;

/**
 * Makes `recordAttempts()` over an open database: writes each attempt and its delivery's new status
 * in one transaction (nested in the caller's when there is one, e.g. a group commit). A delivery
 * that is no longer in flight (cancelled meanwhile) keeps its status; its attempt is still logged.
 */
export function createRecordAttempts(db: Db): RecordAttempts {
  const insertAttempt = db.prepare(WRITE_SQL.insertAttempt);
  const finishAttempt = db.prepare(WRITE_SQL.finishAttempt);
  return db.transaction((outcomes: readonly AttemptOutcome[], now: number) => {
    for (const { deliveryId, attempt, status, nextAttemptAt } of outcomes) {
      insertAttempt.run(...attemptRow(deliveryId, attempt));
      finishAttempt.run(status, attempt.number, nextAttemptAt, now, deliveryId);
    }
  });
}
