import type { EventType } from '@caleida/verify';
import { newId } from '../new-id.js';
import type { Db } from './open-database.js';

/** A webhook as stored, secret included. */
export interface WebhookRecord {
  id: string;
  name: string;
  url: string;
  secret: string;
  /** The secret replaced last, still signing beside `secret` until `previousSecretExpiresAt`. */
  previousSecret: string | null;
  previousSecretExpiresAt: number | null;
  events: EventType[];
  status: 'active' | 'disabled';
  disabledReason: string | null;
  createdAt: number;
  updatedAt: number;
}

/** The fields a webhook is created with. */
export type NewWebhook = Pick<WebhookRecord, 'name' | 'url' | 'secret' | 'events'>;
/** The fields a webhook can be changed in. */
export type WebhookChanges = Partial<
  NewWebhook & Pick<WebhookRecord, 'status' | 'disabledReason' | 'previousSecret' | 'previousSecretExpiresAt'>
>;

interface WebhookRow {
  id: string;
  name: string;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: number | null;
  events: string;
  status: 'active' | 'disabled';
  disabled_reason: string | null;
  created_at: number;
  updated_at: number;
}

/** Reads and writes the webhook registry. */
export interface WebhookStore {
  create(input: NewWebhook, now?: number): WebhookRecord;
  get(id: string): WebhookRecord | undefined;
  list(): WebhookRecord[];
  findByName(name: string): WebhookRecord | undefined;
  update(id: string, changes: WebhookChanges, now?: number): WebhookRecord | undefined;
  delete(id: string): boolean;
  /** Active webhooks subscribed to `type`. */
  subscribers(type: EventType): WebhookRecord[];
}

/**
 * Makes the webhook store over an open database. Reads come from an in-memory copy that every
 * write through this store keeps current: each attempt looks its webhook up, so this is hot.
 */
export function createWebhookStore(db: Db): WebhookStore {
  const insert = db.prepare(
    `INSERT INTO webhooks (id, name, url, secret, events, status, disabled_reason, created_at, updated_at)
     VALUES (@id, @name, @url, @secret, @events, 'active', NULL, @now, @now)`,
  );
  const byId = db.prepare<[string], WebhookRow>('SELECT * FROM webhooks WHERE id = ?');
  const byName = db.prepare<[string], WebhookRow>('SELECT * FROM webhooks WHERE name = ?');
  const all = db.prepare<[], WebhookRow>('SELECT * FROM webhooks ORDER BY created_at, rowid');
  const update = db.prepare(
    `UPDATE webhooks SET name = @name, url = @url, secret = @secret, previous_secret = @previous_secret,
       previous_secret_expires_at = @previous_secret_expires_at, events = @events, status = @status,
       disabled_reason = @disabled_reason, updated_at = @now WHERE id = @id`,
  );
  const remove = db.prepare('DELETE FROM webhooks WHERE id = ?');
  const cache = new Map<string, WebhookRecord>(all.all().map((row) => [row.id, toRecord(row)]));
  const load = (id: string): WebhookRecord => {
    const record = toRecord(byId.get(id) as WebhookRow);
    cache.set(id, record);
    return record;
  };

  return {
    create(input, now = Date.now()) {
      const id = newId('wh');
      insert.run({ ...input, id, events: JSON.stringify(input.events), now });
      return load(id);
    },
    get: (id) => cache.get(id),
    findByName: (name) => maybe(byName.get(name)),
    list: () => all.all().map(toRecord),
    update(id, changes, now = Date.now()) {
      const current = cache.get(id);
      if (!current) return undefined;
      const next = { ...current, ...changes };
      // A new secret given without a previous one to keep replaces the old one at once.
      if (changes.secret !== undefined && changes.previousSecret === undefined) {
        next.previousSecret = null;
        next.previousSecretExpiresAt = null;
      }
      update.run({
        id,
        name: next.name,
        url: next.url,
        secret: next.secret,
        previous_secret: next.previousSecret,
        previous_secret_expires_at: next.previousSecret === null ? null : next.previousSecretExpiresAt,
        events: JSON.stringify(next.events),
        status: next.status,
        disabled_reason: next.status === 'active' ? null : next.disabledReason,
        now,
      });
      return load(id);
    },
    delete(id) {
      cache.delete(id);
      return remove.run(id).changes > 0;
    },
    subscribers: (type) =>
      [...cache.values()].filter((webhook) => webhook.status === 'active' && webhook.events.includes(type)),
  };
}

function maybe(row: WebhookRow | undefined): WebhookRecord | undefined {
  return row ? toRecord(row) : undefined;
}

function toRecord(row: WebhookRow): WebhookRecord {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    secret: row.secret,
    previousSecret: row.previous_secret,
    previousSecretExpiresAt: row.previous_secret_expires_at,
    events: JSON.parse(row.events) as EventType[],
    status: row.status,
    disabledReason: row.disabled_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
