import { z } from 'zod';

/** A time as every answer shows it: ISO 8601 in UTC, e.g. `2026-11-28T10:00:00.000Z`. */
export const isoTimeSchema = z.iso.datetime();
