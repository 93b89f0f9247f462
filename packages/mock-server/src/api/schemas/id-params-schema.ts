import { z } from 'zod';

/** The `{id}` path parameter of a route about one webhook, event or delivery. */
export const idParamsSchema = z.object({ id: z.string() });
