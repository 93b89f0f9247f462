import { startMockServer } from '@caleida/mock-server';

/** Starts the mock server on a free port and an in-memory database; tests read where from the environment. */
export default async function globalSetup() {
  const server = await startMockServer({ port: 0, db: ':memory:' });
  process.env.CALEIDA_MOCK_URL = server.url;
  process.env.CALEIDA_MOCK_API_KEY = server.apiKey;
  // Only globalTeardown can read this: it runs in the same process.
  globalThis.caleidaMockServer = server;
}
