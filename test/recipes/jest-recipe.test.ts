import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recipesFolder, runRecipe, withBrokenCopy } from './run-recipe.js';

describe('the Jest recipe in examples/recipes/jest', () => {
  it('passes: globalSetup starts the mock server, the test gets a delivery through it', async () => {
    const { code, output } = await runRecipe('jest', join(recipesFolder, 'jest'));
    expect(output).toMatch(/Tests:\s+1 passed, 1 total/);
    expect(code, output).toBe(0);
  }, 30_000);

  it('fails when globalSetup hands over a wrong API key', async () => {
    const { code, output } = await withBrokenCopy(
      'jest',
      {
        file: 'mock-server.global-setup.js',
        replace: 'process.env.CALEIDA_MOCK_API_KEY = server.apiKey;',
        with: "process.env.CALEIDA_MOCK_API_KEY = 'not-the-api-key';",
      },
      (folder) => runRecipe('jest', folder),
    );
    expect(output).toMatch(/POST \/v1\/webhooks answered 401/);
    expect(code, output).not.toBe(0);
  }, 30_000);
});
