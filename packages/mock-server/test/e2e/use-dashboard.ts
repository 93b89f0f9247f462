import { type MockServer, type MockServerOptions, startMockServer } from '@caleida/mock-server';
import { createMockClient, type MockClient } from '@caleida/mock-server/client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { launchChromium, openIsolatedPage } from './browser.js';

/** The mock server, its API client and a browser page, as set up by `useDashboard()`. */
export interface Dashboard {
  /** The mock server, started once for the file (in memory, on a free port). */
  readonly server: MockServer;
  /** Its base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The typed API client, to arrange a test or check what the page saved. */
  readonly client: MockClient;
  /** This test's page, in a fresh context that can reach only the mock server. */
  readonly page: Page;
  /** Loads the dashboard and connects with the API key, as a first-time visitor does. */
  open(): Promise<void>;
}

/**
 * Registers the suite's hooks: one mock server and one headless Chromium for the file, a fresh
 * isolated page for each test, everything closed at the end. Call it at the top of a test file.
 *
 * @param options The mock server's options; `apiKey` is required (the page types it in), `port`
 *   and `db` default to a free port and `':memory:'`.
 * @example
 * const dashboard = useDashboard({ apiKey: 'e2e-key-0123456789', retrySchedule: [0] });
 * it('shows the list', async () => {
 *   await dashboard.open();
 *   await dashboard.page.getByRole('button', { name: '+ Add Webhook' }).waitFor();
 * });
 */
export function useDashboard(options: MockServerOptions & { apiKey: string }): Dashboard {
  let server: MockServer | undefined;
  let client: MockClient | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is set up in the suite's hooks; use it inside a test.`);
    return value;
  };

  beforeAll(async () => {
    server = await startMockServer({ port: 0, db: ':memory:', ...options });
    client = createMockClient({ url: server.url, apiKey: options.apiKey });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  beforeEach(async () => {
    ({ context, page } = await openIsolatedPage(
      ready(browser, 'The browser'),
      ready(server, 'The server').url,
    ));
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
    page = undefined;
  });

  return {
    get server() {
      return ready(server, 'The mock server');
    },
    get url() {
      return ready(server, 'The mock server').url;
    },
    get client() {
      return ready(client, 'The API client');
    },
    get page() {
      return ready(page, 'The page');
    },
    async open() {
      const current = ready(page, 'The page');
      await current.goto(`${ready(server, 'The mock server').url}/integrations/webhook`);
      await current.getByLabel('API key').fill(options.apiKey);
      await current.getByRole('button', { name: 'Connect' }).click();
    },
  };
}
