/**
 * The one schema for a business date in a request, body or query string: `YYYY-MM-DD` that is a
 * real day of the Gregorian calendar (Ajv's `date` format checks days in the month and leap
 * years), so `2025-02-30` is a 400 naming the field, never a date that reaches SQL.
 *
 * @example
 * querystring: Type.Object({ date: Type.Optional(BusinessDateText) }, { additionalProperties: false })
 */
import { Type } from '@sinclair/typebox';

/** `YYYY-MM-DD`, a real calendar day. */
export const BusinessDateText = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', format: 'date', description: 'YYYY-MM-DD, a real calendar day' });

/** A query string of one optional business date, `?date=YYYY-MM-DD`. */
export const BusinessDateQuery = Type.Object({ date: Type.Optional(BusinessDateText) }, { additionalProperties: false });
