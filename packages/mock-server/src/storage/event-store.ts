import type { EventType } from '@caleida/verify';
import type { Db } from './open-database.js';

/** An event as stored: `body` is the exact JSON every attempt sends. */
export interface EventRecord {
  id: string;
  type: EventType;
  timestamp: string;
  body: string;
  createdAt: number;
}

interface EventRow {
  id: string;
  type: EventType;
  timestamp: string;
  body: string;
  created_at: number;
}

/** Reads and writes events. */
export interface EventStore {
  insert(event: EventRecord): void;
  get(id: string): EventRecord | undefined;
  /** The body to send, or undefined when the event is unknown. */
  body(id: string): string | undefined;
  list(options: { limit: number; type?: EventType }): EventRecord[];
}

/** Makes the event store over an open database. */
export function createEventStore(db: Db): EventStore {
  const insert = db.prepare(
    'INSERT INTO events (id, type, timestamp, body, created_at) VALUES (@id, @type, @timestamp, @body, @createdAt)',
  );
  const byId = db.prepare<[string], EventRow>('SELECT * FROM events WHERE id = ?');
  const bodyOf = db.prepare<[string], string>('SELECT body FROM events WHERE id = ?').pluck();
  const newest = db.prepare<[number], EventRow>('SELECT * FROM events ORDER BY seq DESC LIMIT ?');
  const newestOfType = db.prepare<[string, number], EventRow>(
    'SELECT * FROM events WHERE type = ? ORDER BY seq DESC LIMIT ?',
  );
  return {
    insert: (event) => void insert.run(event),
    get(id) {
      const row = byId.get(id);
      return row ? toRecord(row) : undefined;
    },
    body: (id) => bodyOf.get(id),
    list: ({ limit, type }) => (type ? newestOfType.all(type, limit) : newest.all(limit)).map(toRecord),
  };
}

function toRecord(row: EventRow): EventRecord {
  return { id: row.id, type: row.type, timestamp: row.timestamp, body: row.body, createdAt: row.created_at };
}
