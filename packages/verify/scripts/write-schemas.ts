/** Writes packages/verify/schemas/<type>.json from the zod schemas: `pnpm --filter @caleida/verify schemas`. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { eventJsonSchemas } from '../src/events/json-schemas.js';

const folder = new URL('../schemas/', import.meta.url);
mkdirSync(folder, { recursive: true });
for (const [type, schema] of Object.entries(eventJsonSchemas())) {
  writeFileSync(new URL(`${type}.json`, folder), `${JSON.stringify(schema, null, 2)}\n`);
}
console.log(`Wrote ${Object.keys(eventJsonSchemas()).length} JSON Schemas to packages/verify/schemas/.`);
