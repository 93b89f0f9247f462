import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(join(root, 'packages/mock-server/README.md'), 'utf8');

/** The README's "Use it in your tests" section, up to the next section of the same level. */
function section(): string {
  const start = readme.indexOf('\n## Use it in your tests\n');
  if (start < 0) throw new Error('packages/mock-server/README.md has no "## Use it in your tests" section');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** Each code block of the section, by the file name written in bold just above it. */
function blocks(): Map<string, string> {
  const found = new Map<string, string>();
  for (const [, file, code] of section().matchAll(
    /\*\*`(examples\/recipes\/[^`]+)`\*\*\n\n```\w*\n([\s\S]*?)```\n/g,
  ))
    found.set(file as string, code as string);
  return found;
}

function recipeFiles(): string[] {
  return ['vitest', 'jest'].flatMap((recipe) =>
    readdirSync(join(root, 'examples/recipes', recipe), { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => `examples/recipes/${recipe}/${entry.name}`),
  );
}

describe('packages/mock-server/README.md, "Use it in your tests"', () => {
  it('shows every file of both recipes, and no other', () => {
    expect([...blocks().keys()].sort()).toEqual(recipeFiles().sort());
  });

  it.each(recipeFiles())('shows %s exactly as it is in the repository', (file) => {
    expect(blocks().get(file)).toBe(readFileSync(join(root, file), 'utf8'));
  });
});
