import { randomBytes } from 'node:crypto';
import type { Db } from './storage/open-database.js';

/** Prefix of generated API keys, so one is recognisable in a config file. */
export const API_KEY_PREFIX = 'cmk_';

/**
 * The API key to require: the one given, else the one stored in the database, else a new one that
 * is stored (`generated: true`, so the caller prints it once).
 */
export function resolveApiKey(db: Db, given: string | undefined): { apiKey: string; generated: boolean } {
  if (given) return { apiKey: given, generated: false };
  const stored = db.prepare<[], string>("SELECT value FROM settings WHERE key = 'api_key'").pluck().get();
  if (stored) return { apiKey: stored, generated: false };
  const apiKey = `${API_KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
  db.prepare("INSERT INTO settings (key, value) VALUES ('api_key', ?)").run(apiKey);
  return { apiKey, generated: true };
}
