import { z } from 'zod';

/** `limit` of a list: how many items one answer holds, 1 to 1000, 50 when left out. */
export const listLimitSchema = z.coerce
  .number({ error: 'limit must be a number' })
  .int('limit must be a whole number')
  .min(1, 'limit must be at least 1')
  .max(1000, 'limit must be at most 1000')
  .default(50);
