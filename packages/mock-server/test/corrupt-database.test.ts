import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { MockServerError, type MockServerOptions, startMockServer } from '../src/index.js';
import { openDatabase } from '../src/storage/open-database.js';
import { captureLogs, createApi, type Receiver, startReceiver, tempDir, webhookInput } from './helpers.js';
import { runCliToEnd } from './spawn-cli.js';

const dir = tempDir();
let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  dir.cleanup();
});

/** Overwrites the first page of `index` with garbage, as a torn write or a bad disk would. */
function corruptIndex(file: string, index: string): void {
  const db = new Database(file, { readonly: true });
  const root = db
    .prepare<[string], number>('SELECT rootpage FROM sqlite_master WHERE name = ?')
    .pluck()
    .get(index);
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(pageSize, 0xab), 0, pageSize, ((root as number) - 1) * pageSize);
  closeSync(fd);
}

/** Copies every table row by row, reading the tables themselves and not their (damaged) indexes. */
function recoverInto(corrupt: string, recovered: string): void {
  openDatabase(recovered).close();
  const db = new Database(recovered);
  db.prepare('ATTACH ? AS old').run(corrupt);
  db.transaction(() => {
    db.exec('DELETE FROM main.settings');
    // WHERE: a plain INSERT ... SELECT * would copy the old indexes' pages as they are.
    for (const table of ['settings', 'webhooks', 'events', 'deliveries', 'attempts'])
      db.exec(`INSERT INTO main.${table} SELECT * FROM old.${table} NOT INDEXED WHERE 1`);
  })();
  db.close();
}

it('a database with a corrupt index page is refused at start (one line, exit code 2, MockServerError database_corrupt); recovered, every event is delivered', async () => {
  const events = Array.from({ length: 5 }, (_, i) => `evt_corrupt_${i}`);
  // Hangs while the first server runs, so its deliveries are left in flight in the file.
  let answering = false;
  receiver = await startReceiver(() => (answering ? { status: 200 } : 'hang'));
  const file = join(dir.path, 'mock.db');
  const options: MockServerOptions = { port: 0, db: file, retrySchedule: [0, 0.1], retryJitter: 0 };
  const first = await startMockServer(options);
  const api = createApi(first);
  await api('POST', '/v1/webhooks', webhookInput(receiver.url, { events: ['chat'] }));
  for (const id of events) expect((await api('POST', '/v1/events', { type: 'chat', id })).status).toBe(202);
  await receiver.waitFor(events.length);
  await first.close();

  corruptIndex(file, 'deliveries_by_event');

  const cli = await runCliToEnd(['start', '--port', '0', '--db', file, '--log-level', 'silent']);
  expect(cli.code).toBe(2);
  expect(cli.stderr.trim().split('\n')).toHaveLength(1);
  expect(cli.stderr).toMatch(/^caleida-mock: The database at .*mock\.db is corrupt \(.+\); recover/);
  const refused = await startMockServer(options).catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(MockServerError);
  expect(refused).toMatchObject({ code: 'database_corrupt' });

  const recovered = join(dir.path, 'recovered.db');
  recoverInto(file, recovered);
  answering = true;
  const logs = captureLogs();
  const second = await startMockServer({ ...options, db: recovered, logger: logs.logger });
  try {
    await receiver.waitFor(events.length * 2);
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id']))).toEqual(new Set(events));
    expect(logs.lines.find((line) => line.msg.includes('left in flight by a previous run'))).toMatchObject({
      released: events.length,
    });
  } finally {
    await second.close();
  }
});
