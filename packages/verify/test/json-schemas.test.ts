import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, eventJsonSchemas } from '../src/index.js';

describe('packages/verify/schemas', () => {
  it.each(EVENT_TYPES)(
    '%s.json is up to date with the zod schema (run `pnpm --filter @caleida/verify schemas`)',
    (type) => {
      const file = new URL(`../schemas/${type}.json`, import.meta.url);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(eventJsonSchemas()[type]);
    },
  );

  it('marks the fields every receiver can rely on as required', () => {
    const schema = eventJsonSchemas()['insight.sentiment'] as {
      properties: { data: { required: string[] } };
    };
    expect(schema.properties.data.required).toEqual(
      expect.arrayContaining(['id', 'chat_id', 'created_at', 'sentiment', 'score']),
    );
  });
});
