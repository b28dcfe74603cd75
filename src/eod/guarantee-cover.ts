/**
 * The guarantee in tonight's classification (`classifyWithGuarantee`, src/classification/): a loan
 * at most 90 days past due that is non-performing (kept there by the no-automatic-upgrade rule,
 * the debtor-level rule or a reviewer) goes to its overdue floor — special mention if overdue at
 * all, else normal, and at least special mention while a restructuring's observation runs — when
 * its line is covered: the held joint and several guarantees of guarantee companies in their
 * period on the night, from guarantors whose own data shows no dishonest-debtor listing or court
 * case against them (`guarantor.standing`, src/collateral/guarantor-data.ts), add up to at least
 * everything the line's active loans owe (principal, interest accrued and due, penalty). Beyond
 * 90 days past due nothing changes.
 *
 * Why after the chunks and not inside one: a line's loans sit in different shards, so whether a
 * guarantee covers the line is only known once every chunk has accrued tonight. The step is one
 * set-based statement that starts from the few lines with such a guarantee, in the transaction
 * that applies the debtor-level rule (which then leaves covered loans alone, so the two never
 * undo each other).
 */
import { sql, type RawBuilder, type Transaction } from 'kysely';
import { forUpdateUnlessCitus, lockLoansOnCitus } from '../db/distribution.js';
import type { BusinessDate } from '../calendar/business-date.js';
import type { Classification } from '../classification/classification.js';
import type { ClassificationRules } from '../classification/classification-rules.js';
import type { Database } from '../db/schema.js';
import { minor, type Minor } from '../money/minor.js';
import { categoryOfRankSql, provisionSql, rankByDaysPastDueSql } from './classification-sql.js';
import { postTotals, type ChunkTotals } from './process-chunk.js';
import { materialisedAccrualSql } from '../servicing/lazy-accrual.js';

/**
 * The ids of the lines a guarantee covers on `date`, as a subquery: held, joint and several, from
 * a guarantee company in good standing, in its period, and at least what the line's active loans owe.
 * Read at the close of `date`, when every loan's chunk has committed: a row end of day did not
 * write is read with its accrual to `date` (src/servicing/lazy-accrual.ts).
 */
export function coveredLinesSql(date: BusinessDate): RawBuilder<{ enterprise_id: string; line_id: string }> {
  const d = sql`cast(${date} as date)`;
  // The cover per line first, then the line's debt beside it: Citus plans no subquery in HAVING
  // that refers to the outer query; a correlated subquery in WHERE naming the borrower it pushes
  // down to the borrower's shard.
  return sql<{ enterprise_id: string; line_id: string }>`(
    select c.enterprise_id, c.line_id
    from (select g.enterprise_id, g.line_id, sum(g.amount) as cover
          from guarantee g join guarantor r on r.id = g.guarantor_id
          where g.line_id is not null and g.status = 'held' and g.type = 'joint-and-several'
            and r.kind = 'company' and r.standing <> 'adverse' and g.start_on <= ${d} and g.end_on >= ${d}
          group by g.enterprise_id, g.line_id) c
    -- sum() of bigint is numeric: exact.
    where c.cover >= (select coalesce(sum(l.principal_not_due + l.principal_due + ${materialisedAccrualSql(sql`l`, d).accrued} + l.interest_due + l.penalty_due), 0)
                      from loan l where l.line_id = c.line_id and l.enterprise_id = c.enterprise_id and l.status = 'active'))`;
}

interface MoveRow {
  old_class: Classification;
  new_class: Classification;
  loans: bigint;
  principal: Minor;
  provision_delta: Minor;
}

/**
 * Applies the guarantee to tonight's categories, posts the reclassification and the provision
 * released, and returns what moved. Idempotent: a second pass finds nothing non-performing to move.
 *
 * @example
 * const moved = await applyGuaranteeCover(trx, '2025-06-30', RULES_2023, 'eod'); // moved.loans === 0 on a book without guarantees
 */
export async function applyGuaranteeCover(trx: Transaction<Database>, date: BusinessDate, rules: ClassificationRules, createdBy: string, citus = false): Promise<ChunkTotals> {
  const d = sql`cast(${date} as date)`;
  const floorRank = sql`greatest(${rankByDaysPastDueSql(sql`dpd`, rules)}, case when restructured_until > ${d} then 1 else 0 end)`;
  const covered = sql`status = 'active' and classification in ('substandard', 'doubtful', 'loss') and dpd <= ${rules.overdueDaysAbove.substandard}
        and (enterprise_id, line_id) in ${coveredLinesSql(date)}`;
  await lockLoansOnCitus(trx, citus, covered);
  const result = await sql<MoveRow>`
    with picked as (
      select id, enterprise_id, classification as old_class, provision as old_provision, principal_not_due + principal_due as principal, ${floorRank} as new_rank
      from loan
      where ${covered}
      ${forUpdateUnlessCitus(citus)}
    ),
    changed as (
      update loan set classification = ${categoryOfRankSql(sql`p.new_rank`)}, provision = ${provisionSql(sql`p.principal`, sql`p.new_rank`, rules)}
      from picked p
      where loan.id = p.id and loan.enterprise_id = p.enterprise_id
      returning loan.id, loan.enterprise_id, loan.classification as new_class, loan.provision, p.old_class, p.principal, loan.provision - p.old_provision as provision_delta
    ),
    -- Tonight's history rows were written by the chunks: they take the category the guarantee gives.
    history as (
      update loan_day set classification = c.new_class, provision = c.provision
      from changed c
      where loan_day.business_date = ${d} and loan_day.loan_id = c.id and loan_day.enterprise_id = c.enterprise_id
    )
    select old_class, new_class, count(*) as loans, cast(sum(principal) as bigint) as principal, cast(sum(provision_delta) as bigint) as provision_delta
    from changed
    group by old_class, new_class`.execute(trx);
  const totals: ChunkTotals = {
    loans: result.rows.reduce((sum, row) => sum + Number(row.loans), 0),
    billed: 0,
    interest: minor(0n),
    penalty: minor(0n),
    moves: result.rows.map((row) => ({ from: row.old_class, to: row.new_class, principal: row.principal })),
    provisionDelta: minor(result.rows.reduce((sum, row) => sum + row.provision_delta, 0n)),
  };
  if (totals.loans > 0) await postTotals(trx, date, `end of day ${date}, guarantee cover`, createdBy, totals, {}, citus);
  return totals;
}
