import { z } from 'zod';
import { type ApiErrorCode, STATUS_FOR_API_CODE } from '../api-error.js';

/** One problem with one field of a request. */
export const fieldIssueSchema = z.strictObject({ field: z.string(), message: z.string() });

/** The body of every refused call: a code to switch on, a message saying how to fix it. */
export const apiErrorSchema = z
  .strictObject({
    code: z.enum(Object.keys(STATUS_FOR_API_CODE) as [ApiErrorCode, ...ApiErrorCode[]]),
    message: z.string(),
    details: z.array(fieldIssueSchema).optional(),
  })
  .meta({ description: 'Refused' });
