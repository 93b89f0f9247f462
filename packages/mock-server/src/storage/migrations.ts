/**
 * The schema, one entry per version; `PRAGMA user_version` records how many have been applied.
 * Never edit an entry that has shipped: append a new one.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE webhooks (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    events TEXT NOT NULL,
    status TEXT NOT NULL,
    disabled_reason TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    timestamp TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE deliveries (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    event_id TEXT NOT NULL,
    webhook_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    status TEXT NOT NULL,
    attempt_count INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    lease_until INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
  CREATE INDEX deliveries_by_webhook ON deliveries (webhook_id, seq);
  CREATE INDEX deliveries_by_event ON deliveries (event_id);
  CREATE TABLE attempts (
    delivery_id TEXT NOT NULL,
    number INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    duration_ms REAL NOT NULL,
    status_code INTEGER,
    error TEXT,
    response_excerpt TEXT,
    PRIMARY KEY (delivery_id, number)
  ) WITHOUT ROWID;
  `,
  // Only pending rows are ever looked up by due time: leaving the others out spares two index
  // writes per delivery (created in flight, then finished).
  `
  DROP INDEX deliveries_due;
  CREATE INDEX deliveries_pending_due ON deliveries (next_attempt_at) WHERE status = 'pending';
  `,
  // What each attempt sent and got back, for inspection: headers as JSON text in the attempt's own
  // row (one insert per attempt, as before); the body sent is the event's, stored once.
  `
  ALTER TABLE attempts ADD COLUMN request_headers TEXT;
  ALTER TABLE attempts ADD COLUMN response_headers TEXT;
  ALTER TABLE attempts ADD COLUMN response_truncated INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE attempts ADD COLUMN first_byte_ms REAL;
  `,
  // Secret rotation with a grace period: the secret replaced last keeps signing until it expires.
  `
  ALTER TABLE webhooks ADD COLUMN previous_secret TEXT;
  ALTER TABLE webhooks ADD COLUMN previous_secret_expires_at INTEGER;
  `,
  // Endpoint health counts a webhook's attempts from here on (set when it is enabled again).
  `
  ALTER TABLE webhooks ADD COLUMN health_since INTEGER;
  `,
];
