/**
 * Column types shared by the schema's area files (`src/db/schema/<area>.ts`).
 *
 * Each is a Kysely `ColumnType<Select, Insert, Update>`: what a `select` returns, what an `insert`
 * and an `update` accept. Money, business dates and rates are branded on all three, so a row read
 * from the database already carries `Minor`, `BusinessDate` or `RateUnits`, and writing a bare
 * `bigint` or `string` into such a column is a type error: the value must have passed `minor()`,
 * `parseBusinessDate()` or `rateToUnits()` (or come from another branded value) first.
 *
 * This is true at run time because both backends parse int8 as `BigInt` and `date` as its
 * `'YYYY-MM-DD'` text (`pglite-backend.ts`, `postgres-backend.ts`; checked by
 * `test/db/column-types.test.ts`).
 */
import type { ColumnType } from 'kysely';
import type { BusinessDate } from '../../calendar/business-date.js';
import type { Minor } from '../../money/minor.js';
import type { RateUnits } from '../../pricing/rate-units.js';

/** Timestamps are written as JS Dates (or ISO text) and read back as Dates. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;

/**
 * `bigint` fen: read as `Minor`, written only as `Minor`. (Kysely does not unwrap a `ColumnType`
 * nested in another, so a defaulted column is `Generated<Minor>`, not `Generated<MoneyColumn>`.)
 */
export type MoneyColumn = ColumnType<Minor, Minor, Minor>;

/** `date`: read as the `'YYYY-MM-DD'` `BusinessDate`, written only as a `BusinessDate`. */
export type DateColumn = ColumnType<BusinessDate, BusinessDate, BusinessDate>;

/** `bigint` rate units (percent per year × 10^4, `pricing/rate-units.ts`). */
export type RateUnitsColumn = ColumnType<RateUnits, RateUnits, RateUnits>;

/** `jsonb` (or `json`) read as a parsed `T`, written as its JSON text. */
export type JsonColumn<T> = ColumnType<T, string, string>;
