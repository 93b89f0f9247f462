import type { EventType } from '@caleida/verify';
import { type ClaimDue, createClaimDue } from './claim-due.js';
import type { Db } from './open-database.js';
import { createReclaimInFlight, type ReclaimInFlight } from './reclaim-in-flight.js';
import { createRecordAttempts, type RecordAttempts } from './record-attempts.js';
import { timeOrderedId } from './time-ordered-id.js';
import { WRITE_SQL } from './write-statements.js';

/** Where a delivery stands. */
export type DeliveryStatus = 'pending' | 'in_flight' | 'succeeded' | 'failed' | 'cancelled';
/** The statuses, for validation and docs. */
export const DELIVERY_STATUSES = ['pending', 'in_flight', 'succeeded', 'failed', 'cancelled'] as const;

/** One HTTP call made for a delivery, as lists show it. */
export interface AttemptRecord {
  number: number;
  startedAt: number;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  responseExcerpt: string | null;
}

/** One HTTP call in full: what was sent and what came back. */
export interface AttemptDetail extends AttemptRecord {
  /** True when the response body was longer than `responseExcerpt`. */
  responseTruncated: boolean;
  /** The headers sent; null for attempts logged before they were kept. */
  requestHeaders: Record<string, string> | null;
  /** The response's headers; null when no response arrived. */
  responseHeaders: Record<string, string | string[] | undefined> | null;
  /** Milliseconds until the response's status and headers arrived; null without a response. */
  firstByteMs: number | null;
}

/** A delivery: one event to one webhook, with every attempt made so far. */
export interface DeliveryRecord {
  id: string;
  eventId: string;
  webhookId: string;
  eventType: EventType;
  status: DeliveryStatus;
  attemptCount: number;
  /** When the next attempt is due (for `in_flight`, when its lease runs out). */
  nextAttemptAt: number | null;
  createdAt: number;
  updatedAt: number;
  attempts: AttemptRecord[];
}

/** A delivery with every attempt in full, for `GET /v1/deliveries/:id`. */
export interface DeliveryDetail extends DeliveryRecord {
  attempts: AttemptDetail[];
}

/** A delivery a worker has claimed and must attempt now. */
export interface ClaimedDelivery {
  id: string;
  eventId: string;
  webhookId: string;
  eventType: EventType;
  attemptCount: number;
  /** The event's body, when the caller already has it (saves reading it back). */
  body?: string;
}

/** What one attempt ended in, written by `recordAttempts()`. */
export interface AttemptOutcome {
  deliveryId: string;
  attempt: AttemptDetail;
  status: 'pending' | 'succeeded' | 'failed' | 'cancelled';
  nextAttemptAt: number | null;
}

/** Filters of `list()`. */
export interface DeliveryFilter {
  webhookId?: string;
  eventId?: string;
  status?: DeliveryStatus;
  eventType?: EventType;
  /** Only deliveries created before this one (a page's last delivery): newest first, stable under inserts. */
  beforeId?: string;
  limit: number;
}

/** A row of the deliveries table. */
export interface DeliveryRow {
  id: string;
  event_id: string;
  webhook_id: string;
  event_type: EventType;
  status: DeliveryStatus;
  attempt_count: number;
  next_attempt_at: number | null;
  created_at: number;
  updated_at: number;
}

interface AttemptRow {
  delivery_id: string;
  number: number;
  started_at: number;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  response_excerpt: string | null;
}

interface AttemptDetailRow extends AttemptRow {
  request_headers: string | null;
  response_headers: string | null;
  response_truncated: number;
  first_byte_ms: number | null;
}

/** Reads and writes deliveries and their attempts. */
export interface DeliveryStore {
  /**
   * Adds one delivery per webhook, `pending` and due at `nextAttemptAt`, or `in_flight` (already
   * claimed) with its lease ending at `nextAttemptAt`; call inside the event's transaction.
   */
  insertNew(
    eventId: string,
    type: EventType,
    webhookIds: readonly string[],
    status: 'pending' | 'in_flight',
    nextAttemptAt: number,
    now: number,
    /** Their ids, one per webhook; default new ones. */
    ids?: readonly string[],
  ): string[];
  /**
   * Marks up to `limit` due pending deliveries in flight until `leaseUntil` and returns them, oldest
   * due first, taking at most `capacity(webhookId)` from each webhook and none from `saturated` ones.
   * `more` is false when no other due delivery of a webhook outside `saturated` is left.
   */
  claimDue: ClaimDue;
  /** Writes attempts and their outcomes in one transaction. */
  recordAttempts: RecordAttempts;
  /** Cancels a delivery (its webhook went away) unless it already finished. */
  cancel(id: string, now: number): void;
  /** Cancels every unfinished delivery of a webhook; returns how many. */
  cancelForWebhook(webhookId: string, now: number): number;
  /**
   * Makes deliveries in flight whose lease ended by `leaseEndedBy` due at `now`, except `held` ones;
   * returns how many. At start (every lease of a previous process counts as ended) and periodically.
   */
  reclaimInFlight: ReclaimInFlight;
  /**
   * Makes every failed delivery of a webhook created at or after `since` due at `now`, as one
   * transaction; returns their ids, oldest first.
   */
  recoverFailed(webhookId: string, since: number, now: number): string[];
  /** Makes a finished or pending delivery due now; undefined when unknown. */
  retryNow(id: string, now: number): DeliveryRecord | undefined;
  /** When the earliest pending delivery is due, or null. */
  nextDueAt(): number | null;
  get(id: string): DeliveryRecord | undefined;
  /** One delivery with what each attempt sent and got back; undefined when unknown. */
  detail(id: string): DeliveryDetail | undefined;
  list(filter: DeliveryFilter): DeliveryRecord[];
  countByStatus(): Record<DeliveryStatus, number>;
}

const UNFINISHED = "status IN ('pending', 'in_flight')";

/** Makes the delivery store over an open database. */
export function createDeliveryStore(db: Db): DeliveryStore {
  const insert = db.prepare(WRITE_SQL.insertDelivery);
  const cancelOne = db.prepare(
    `UPDATE deliveries SET status = 'cancelled', next_attempt_at = NULL, updated_at = ? WHERE id = ? AND ${UNFINISHED}`,
  );
  const cancelWebhook = db.prepare(
    `UPDATE deliveries SET status = 'cancelled', next_attempt_at = NULL, updated_at = ? WHERE webhook_id = ? AND ${UNFINISHED}`,
  );
  const retry = db.prepare(
    `UPDATE deliveries SET status = 'pending', next_attempt_at = ?, updated_at = ? WHERE id = ? AND status != 'in_flight'`,
  );
  const recover = db.prepare<[number, number, string, number], { id: string }>(
    `UPDATE deliveries SET status = 'pending', next_attempt_at = ?, updated_at = ?
     WHERE webhook_id = ? AND status = 'failed' AND created_at >= ? RETURNING id, created_at`,
  );
  const earliest = db
    .prepare<[], number | null>("SELECT min(next_attempt_at) FROM deliveries WHERE status = 'pending'")
    .pluck();
  const byId = db.prepare<[string], DeliveryRow>('SELECT * FROM deliveries WHERE id = ?');
  // Lists leave the headers out: they are read only for one delivery's detail.
  const attemptsOf = db.prepare<[string], AttemptRow>(
    `SELECT delivery_id, number, started_at, duration_ms, status_code, error, response_excerpt
     FROM attempts WHERE delivery_id IN (SELECT value FROM json_each(?)) ORDER BY number`,
  );
  const attemptDetailsOf = db.prepare<[string], AttemptDetailRow>(
    'SELECT * FROM attempts WHERE delivery_id = ? ORDER BY number',
  );
  const counts = db.prepare<[], { status: DeliveryStatus; n: number }>(
    'SELECT status, count(*) AS n FROM deliveries GROUP BY status',
  );

  const withAttempts = (rows: DeliveryRow[]): DeliveryRecord[] => {
    if (rows.length === 0) return [];
    const grouped = new Map<string, AttemptRecord[]>(rows.map((row) => [row.id, []]));
    for (const attempt of attemptsOf.all(JSON.stringify(rows.map((row) => row.id)))) {
      grouped.get(attempt.delivery_id)?.push({
        number: attempt.number,
        startedAt: attempt.started_at,
        durationMs: attempt.duration_ms,
        statusCode: attempt.status_code,
        error: attempt.error,
        responseExcerpt: attempt.response_excerpt,
      });
    }
    return rows.map((row) => ({
      id: row.id,
      eventId: row.event_id,
      webhookId: row.webhook_id,
      eventType: row.event_type,
      status: row.status,
      attemptCount: row.attempt_count,
      nextAttemptAt: row.next_attempt_at,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      attempts: grouped.get(row.id) ?? [],
    }));
  };

  return {
    insertNew(eventId, type, webhookIds, status, nextAttemptAt, now, ids) {
      return webhookIds.map((webhookId, index) => {
        const id = ids?.[index] ?? timeOrderedId('dlv');
        insert.run(id, eventId, webhookId, type, status, nextAttemptAt, now, now);
        return id;
      });
    },
    claimDue: createClaimDue(db),
    recordAttempts: createRecordAttempts(db),
    cancel: (id, now) => void cancelOne.run(now, id),
    cancelForWebhook: (webhookId, now) => cancelWebhook.run(now, webhookId).changes,
    reclaimInFlight: createReclaimInFlight(db),
    recoverFailed(webhookId, since, now) {
      const rows = recover.all(now, now, webhookId, since) as { id: string; created_at: number }[];
      return rows
        .sort((a, b) => a.created_at - b.created_at || a.id.localeCompare(b.id))
        .map((row) => row.id);
    },
    retryNow(id, now) {
      retry.run(now, now, id);
      const row = byId.get(id);
      return row ? withAttempts([row])[0] : undefined;
    },
    nextDueAt: () => earliest.get() ?? null,
    get(id) {
      const row = byId.get(id);
      return row ? withAttempts([row])[0] : undefined;
    },
    detail(id) {
      const row = byId.get(id);
      if (!row) return undefined;
      const delivery = withAttempts([row])[0] as DeliveryRecord;
      return { ...delivery, attempts: attemptDetailsOf.all(id).map(toAttemptDetail) };
    },
    list({ webhookId, eventId, status, eventType, beforeId, limit }) {
      const where: string[] = [];
      const params: (string | number)[] = [];
      if (webhookId) where.push('webhook_id = ?') && params.push(webhookId);
      if (eventId) where.push('event_id = ?') && params.push(eventId);
      if (status) where.push('status = ?') && params.push(status);
      if (eventType) where.push('event_type = ?') && params.push(eventType);
      if (beforeId) where.push('seq < (SELECT seq FROM deliveries WHERE id = ?)') && params.push(beforeId);
      const sql = `SELECT * FROM deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
      return withAttempts(db.prepare<unknown[], DeliveryRow>(sql).all(...params, limit));
    },
    countByStatus() {
      const result = { pending: 0, in_flight: 0, succeeded: 0, failed: 0, cancelled: 0 };
      for (const { status, n } of counts.all()) result[status] = n;
      return result;
    },
  };
}

function toAttemptDetail(row: AttemptDetailRow): AttemptDetail {
  return {
    number: row.number,
    startedAt: row.started_at,
    durationMs: row.duration_ms,
    statusCode: row.status_code,
    error: row.error,
    responseExcerpt: row.response_excerpt,
    responseTruncated: row.response_truncated === 1,
    requestHeaders: row.request_headers === null ? null : JSON.parse(row.request_headers),
    responseHeaders: row.response_headers === null ? null : JSON.parse(row.response_headers),
    firstByteMs: row.first_byte_ms,
  };
}
