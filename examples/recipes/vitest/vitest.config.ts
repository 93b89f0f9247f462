import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Starts one Caleida mock server for the whole run, before any test file.
    globalSetup: ['./mock-server.global-setup.ts'],
  },
});
