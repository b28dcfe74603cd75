/**
 * The debtor-level rule at end of day: once every chunk has classified its loans and the
 * supply-chain financings have been aged, an enterprise with strictly more than the rules' share
 * (10%) of its claims at the bank non-performing has all its loans made at least substandard, with
 * provision at that rate. Its claims are its active loans and the supply-chain financings it is the
 * obligor of (the core enterprise of the certificate, src/supply-chain/maturity.ts), so a financing
 * its core enterprise left unpaid past 90 days pulls down that enterprise's loans as a loan would.
 * The financings' side of the rule (the loans pulling down the financings) is applied by
 * `ageSupplyChainFinancing`, over the same claims.
 *
 * One set-based statement from the few enterprises that have a non-performing loan (a partial
 * index, migration 0003) or a non-performing financing. Idempotent: loans already non-performing
 * are untouched, so a second pass finds nothing to do.
 */
import { sql, type Transaction } from 'kysely';
import { forUpdateUnlessCitus, hasCitus, lockLoansOnCitus } from '../db/distribution.js';
import type { BusinessDate } from '../calendar/business-date.js';
import type { Classification } from '../classification/classification.js';
import type { ClassificationRules } from '../classification/classification-rules.js';
import type { Database } from '../db/schema.js';
import { minor, type Minor } from '../money/minor.js';
import { coveredLinesSql } from './guarantee-cover.js';
import { postTotals, type ChunkTotals } from './process-chunk.js';

interface MoveRow {
  old_class: Classification;
  loans: bigint;
  principal: Minor;
  provision_delta: Minor;
}

/**
 * Applies the rule to every borrower and posts its reclassification and provision; returns what moved.
 *
 * @example
 * const moved = await applyDebtorContagion(trx, '2025-06-30', RULES_2023, 'eod'); // moved.loans === 0 on a clean book
 */
export async function applyDebtorContagion(trx: Transaction<Database>, date: BusinessDate, rules: ClassificationRules, createdBy: string, citusKnown?: boolean): Promise<ChunkTotals> {
  // End of day says whether the database is Citus (once per run); a caller that does not is asked here.
  const citus = citusKnown ?? (await hasCitus<Database>(trx));
  const substandardRate = sql`cast(${rules.provisionRateBp.substandard} as bigint)`;
  const candidates = sql`
      select enterprise_id from loan where status = 'active' and classification in ('substandard', 'doubtful', 'loss')
      union
      select core_enterprise_id from scf_financing where status <> 'settled' and classification in ('substandard', 'doubtful', 'loss')`;
  // On Citus, the candidates' performing loans (a superset of those the rule moves) are locked first.
  await lockLoansOnCitus(trx, citus, sql`status = 'active' and classification in ('normal', 'special-mention') and enterprise_id in (${candidates})`);
  const result = await sql<MoveRow>`
    with candidates as (${candidates}
    ),
    claims as (
      select l.enterprise_id, l.classification, l.principal_not_due + l.principal_due as principal
      from loan l
      where l.status = 'active' and l.enterprise_id in (select enterprise_id from candidates)
      union all
      -- A supply-chain financing is a claim on its core enterprise (the obligor), not on the supplier.
      select f.core_enterprise_id, f.classification, f.principal
      from scf_financing f
      where f.status <> 'settled' and f.core_enterprise_id in (select enterprise_id from candidates)
    ),
    debtors as (
      select enterprise_id
      from claims
      group by enterprise_id
      -- sum() of bigint is numeric: the comparison is exact and cannot overflow.
      having sum(case when classification in ('substandard', 'doubtful', 'loss') then principal else 0 end) * 10000
           > sum(principal) * ${rules.debtorNonPerformingShareBp}
    ),
    picked as (
      select id, enterprise_id, classification as old_class, provision as old_provision, principal_not_due + principal_due as principal
      from loan
      where status = 'active' and classification in ('normal', 'special-mention')
        and enterprise_id in (select enterprise_id from debtors)
        -- A loan whose line a guarantee covers keeps its category (src/eod/guarantee-cover.ts).
        and (line_id is null or (enterprise_id, line_id) not in ${coveredLinesSql(date)})
      ${forUpdateUnlessCitus(citus)}
    ),
    changed as (
      update loan set classification = 'substandard', provision = p.principal * ${substandardRate} / 10000
      from picked p
      where loan.id = p.id and loan.enterprise_id = p.enterprise_id
      returning loan.id, loan.enterprise_id, loan.provision, p.old_class, p.principal, loan.provision - p.old_provision as provision_delta
    ),
    -- Tonight's history rows were written by the chunks: they take the debtor-level category too.
    history as (
      update loan_day set classification = 'substandard', provision = c.provision
      from changed c
      where loan_day.business_date = cast(${date} as date) and loan_day.loan_id = c.id and loan_day.enterprise_id = c.enterprise_id
    )
    select old_class, count(*) as loans, cast(sum(principal) as bigint) as principal, cast(sum(provision_delta) as bigint) as provision_delta
    from changed
    group by old_class`.execute(trx);
  const totals: ChunkTotals = {
    loans: result.rows.reduce((sum, row) => sum + Number(row.loans), 0),
    billed: 0,
    interest: minor(0n),
    penalty: minor(0n),
    moves: result.rows.map((row) => ({ from: row.old_class, to: 'substandard' as const, principal: row.principal })),
    provisionDelta: minor(result.rows.reduce((sum, row) => sum + row.provision_delta, 0n)),
  };
  await postTotals(trx, date, `end of day ${date}, debtor-level classification`, createdBy, totals);
  return totals;
}
