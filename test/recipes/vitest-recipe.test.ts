import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recipesFolder, runRecipe, withBrokenCopy } from './run-recipe.js';

describe('the Vitest recipe in examples/recipes/vitest', () => {
  it('passes: the global setup starts the mock server, the test gets a delivery through it', async () => {
    const { code, output } = await runRecipe('vitest', join(recipesFolder, 'vitest'));
    expect(output).toMatch(/Tests\s+1 passed/);
    expect(code, output).toBe(0);
  }, 30_000);

  it('fails when the global setup hands over a wrong API key', async () => {
    const { code, output } = await withBrokenCopy(
      'vitest',
      {
        file: 'mock-server.global-setup.ts',
        replace: "project.provide('caleidaMockApiKey', server.apiKey);",
        with: "project.provide('caleidaMockApiKey', 'not-the-api-key');",
      },
      (folder) => runRecipe('vitest', folder),
    );
    expect(output).toMatch(/POST \/v1\/webhooks answered 401/);
    expect(code, output).not.toBe(0);
  }, 30_000);
});
