import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { type Db, openDatabase } from '../src/storage/open-database.js';
import { tempDir } from './helpers.js';

const dir = tempDir();
let db: Db | undefined;
afterEach(() => {
  if (db?.open) db.close();
  dir.cleanup();
});

/** Commits about 60 pages: far fewer than a commit on the main connection checkpoints at. */
function commitSomePages(db: Db): void {
  const insert = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
  db.transaction(() => {
    for (let i = 0; i < 200; i++) insert.run(`key-${i}`, 'x'.repeat(1000));
  })();
}

it('openDatabase() on a file copies committed WAL pages into the database file in the background', async () => {
  const path = join(dir.path, 'mock.db');
  db = openDatabase(path);
  const before = statSync(path).size;
  commitSomePages(db);
  // Nothing on this connection checkpoints 60 pages: only the worker can have grown the file.
  await vi.waitFor(() => expect(statSync(path).size).toBeGreaterThan(before + 100_000), {
    timeout: 5000,
    interval: 20,
  });
  expect(db.prepare('SELECT count(*) FROM settings WHERE key LIKE ?').pluck().get('key-%')).toBe(200);
});

it('db.close() ends the checkpoint worker too: the WAL is folded in and removed, and the file opens again', () => {
  const path = join(dir.path, 'mock.db');
  db = openDatabase(path);
  commitSomePages(db);
  db.close();
  expect(existsSync(`${path}-wal`)).toBe(false);
  db = openDatabase(path);
  expect(db.prepare('SELECT count(*) FROM settings WHERE key LIKE ?').pluck().get('key-%')).toBe(200);
});

it('openDatabase(":memory:") needs no checkpoint worker and closes as before', () => {
  db = openDatabase(':memory:');
  commitSomePages(db);
  db.close();
  expect(db.open).toBe(false);
});
