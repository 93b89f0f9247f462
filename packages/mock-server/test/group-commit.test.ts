import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { groupCommit } from '../src/storage/group-commit.js';
import { type Db, openDatabase } from '../src/storage/open-database.js';
import { tempDir } from './helpers.js';

const dir = tempDir();
let db: Db | undefined;
afterEach(() => {
  db?.close();
  dir.cleanup();
});

function setup() {
  db = openDatabase(join(dir.path, 'mock.db'));
  const insert = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
  const keys = db.prepare<[], string>('SELECT key FROM settings ORDER BY key').pluck();
  return { commit: groupCommit(db), insert, keys, db };
}

it('groupCommit() writes everything handed to it in one turn in one transaction', async () => {
  const { commit, insert, keys, db } = setup();
  const commits: number[] = [];
  const results = await Promise.all(
    ['a', 'b', 'c'].map((key) =>
      commit(() => {
        commits.push(db.inTransaction ? 1 : 0);
        insert.run(key, 'v');
        return key;
      }),
    ),
  );
  expect(results).toEqual(['a', 'b', 'c']);
  expect(commits).toEqual([1, 1, 1]);
  expect(keys.all()).toEqual(['a', 'b', 'c']);
});

it('groupCommit() fails only the work that threw; the rest is committed', async () => {
  const { commit, insert, keys } = setup();
  const outcomes = await Promise.allSettled([
    commit(() => insert.run('a', 'v')),
    commit(() => insert.run('a', 'again')),
    commit(() => insert.run('b', 'v')),
  ]);
  expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  expect(keys.all()).toEqual(['a', 'b']);
});
