/**
 * The classification rules as SQL expressions, so end of day classifies a chunk in the same
 * statement that accrues it. Values come from `ClassificationRules` as bound parameters; the
 * pure functions in src/classification/ are the reference the tests compare against.
 */
import { sql, type RawBuilder } from 'kysely';
import type { ClassificationRules } from '../classification/classification-rules.js';
import { CATEGORIES } from '../classification/classify.js';

/** The rank (0 normal … 4 loss) the overdue rules give for an integer `dpd` expression. */
export function rankByDaysPastDueSql(dpd: RawBuilder<unknown>, rules: ClassificationRules): RawBuilder<number> {
  const above = rules.overdueDaysAbove;
  return sql<number>`(case when ${dpd} > ${above.loss} then 4 when ${dpd} > ${above.doubtful} then 3
    when ${dpd} > ${above.substandard} then 2 when ${dpd} > ${above['special-mention']} then 1 else 0 end)`;
}

/** The rank of a classification column or expression. */
export function rankOfSql(category: RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`(case ${category} when 'normal' then 0 when 'special-mention' then 1 when 'substandard' then 2 when 'doubtful' then 3 else 4 end)`;
}

/** The classification for a rank expression. */
export function categoryOfRankSql(rank: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`(case ${rank} ${sql.join(CATEGORIES.map((category, index) => sql`when ${sql.lit(index)} then ${sql.lit(category)}`), sql` `)} end)`;
}

/**
 * `principal × rate / 10000` rounded down, the rate chosen by a rank expression. Integer division
 * of non-negative bigints: the same fen as `provisionFor`.
 */
export function provisionSql(principal: RawBuilder<unknown>, rank: RawBuilder<unknown>, rules: ClassificationRules): RawBuilder<bigint> {
  const rates = CATEGORIES.map((category, index) => sql`when ${sql.lit(index)} then cast(${rules.provisionRateBp[category]} as bigint)`);
  return sql<bigint>`((${principal}) * (case ${rank} ${sql.join(rates, sql` `)} end) / 10000)`;
}
