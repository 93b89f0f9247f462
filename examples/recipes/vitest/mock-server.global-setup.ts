import { startMockServer } from '@caleida/mock-server';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    caleidaMockUrl: string;
    caleidaMockApiKey: string;
  }
}

/** Starts the mock server on a free port and an in-memory database; stops it after the last test. */
export default async function setup(project: TestProject) {
  const server = await startMockServer({ port: 0, db: ':memory:' });
  project.provide('caleidaMockUrl', server.url);
  project.provide('caleidaMockApiKey', server.apiKey);
  return () => server.close();
}
