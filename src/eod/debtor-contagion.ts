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
 * One set-based statement from the enterprises that have a non-performing loan or financing at the
 * close of `date`; the loans' side from their history rows of `date` (`loan_day`, written by the
 * chunks: every loan on the books that night), so it runs in end of day's close, after the chunks.
 * Idempotent: loans already non-performing are untouched, so a second pass finds nothing to do.
 */
import { sql, type Transaction } from 'kysely';
import { hasCitus, lockLoansOnCitus } from '../db/distribution.js';
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
 * `chunksOfRun`: the end-of-day run whose every chunk recorded its non-performing loans' borrowers
 * (src/eod/run-eod.ts checks), from which the rule takes its candidates; absent, it finds them in
 * the night's history.
 *
 * @example
 * const moved = await applyDebtorContagion(trx, '2025-06-30', RULES_2023, 'eod'); // moved.loans === 0 on a clean book
 */
export async function applyDebtorContagion(trx: Transaction<Database>, date: BusinessDate, rules: ClassificationRules, createdBy: string, citusKnown?: boolean, chunksOfRun?: string): Promise<ChunkTotals> {
  // End of day says whether the database is Citus (once per run); a caller that does not is asked here.
  const citus = citusKnown ?? (await hasCitus<Database>(trx));
  const substandardRate = sql`cast(${rules.provisionRateBp.substandard} as bigint)`;
  const candidates = sql`
      select enterprise_id from loan where status = 'active' and classification in ('substandard', 'doubtful', 'loss')
      union
      select core_enterprise_id from scf_financing where status <> 'settled' and classification in ('substandard', 'doubtful', 'loss')`;
  // On Citus, the candidates' performing loans (a superset of those the rule moves) are locked first.
  await lockLoansOnCitus(trx, citus, sql`status = 'active' and classification in ('normal', 'special-mention') and enterprise_id in (${candidates})`);
  // The loans' side of the rule reads the night's history rows (`loan_day` of `date`: every loan
  // the chunks closed, with the guarantee cover's categories), not the loan table: a narrow row in
  // the order the chunks wrote it, read once in sequence, where the loan table is ten times wider
  // and its candidates' rows were a random read each (11.3 s of a million-loan night;
  // docs/benchmarks.md, s21k). The loans moved are still picked from `loan`, and locked there.
  const d = sql`cast(${date} as date)`;
  // The borrowers with a non-performing loan tonight: those the run's chunks recorded as they wrote
  // the history rows (`npl_borrowers`, migration 0079), when the caller knows every chunk did, else
  // from the history rows themselves. The same borrowers, or more: after the chunks only the
  // guarantee cover changes a category in tonight's history before this rule, and it lifts loans out
  // of non-performing; a candidate with no non-performing claim left is no debtor (its share is 0).
  // The chunks' record spares a scan of the night's whole history (docs/benchmarks.md, s23c).
  const loanCandidates = chunksOfRun === undefined
    ? sql`select enterprise_id from loan_day where business_date = ${d} and classification in ('substandard', 'doubtful', 'loss')`
    : sql`select b.enterprise_id from eod_chunk c cross join unnest(c.npl_borrowers) as b(enterprise_id) where c.run_id = ${chunksOfRun}`;
  const result = await sql<MoveRow>`
    with candidates as (
      ${loanCandidates}
      union
      select core_enterprise_id from scf_financing where status <> 'settled' and classification in ('substandard', 'doubtful', 'loss')
    ),
    claims as (
      select h.enterprise_id, h.classification, h.principal_not_due + h.principal_due as principal, h.loan_id, h.line_id, h.provision
      from loan_day h
      where h.business_date = ${d} and h.enterprise_id in (select enterprise_id from candidates)
      union all
      -- A supply-chain financing is a claim on its core enterprise (the obligor), not on the supplier.
      select f.core_enterprise_id, f.classification, f.principal, null, null, null
      from scf_financing f
      where f.status <> 'settled' and f.core_enterprise_id in (select enterprise_id from candidates)
    ),
    -- Each claim beside its borrower's sums, by a window over the claims, not a join of the claims
    -- to the debtors: the candidates from the chunks' record are estimated at ten a chunk (the
    -- planner cannot see into an array), and a join of claims and debtors planned on that estimate
    -- was a nested loop, every claim against every debtor (minutes on a million loans; s23c).
    judged as (
      select c.*,
        -- sum() of bigint is numeric: the comparison is exact and cannot overflow.
        sum(case when classification in ('substandard', 'doubtful', 'loss') then principal else 0 end) over borrower * 10000
          > sum(principal) over borrower * ${rules.debtorNonPerformingShareBp} as debtor
      from claims c
      window borrower as (partition by enterprise_id)
    ),
    -- Materialised: the few loans to move (none on most nights) are then updated by key, where the
    -- planner, inlining it, walked every debtor's loans in the loan table by borrower (0.7 s of random
    -- reads on a million loans).
    picked as materialized (
      select loan_id as id, enterprise_id, classification as old_class, provision as old_provision, principal
      from judged
      where debtor and loan_id is not null and classification in ('normal', 'special-mention')
        -- A loan whose line a guarantee covers keeps its category (src/eod/guarantee-cover.ts).
        and (line_id is null or (enterprise_id, line_id) not in ${coveredLinesSql(date)})
    ),
    -- The loan's row is locked by the update, which checks again that it is active and performing.
    changed as (
      update loan set classification = 'substandard', provision = p.principal * ${substandardRate} / 10000
      from picked p
      where loan.id = p.id and loan.enterprise_id = p.enterprise_id and loan.status = 'active' and loan.classification in ('normal', 'special-mention')
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
  await postTotals(trx, date, `end of day ${date}, debtor-level classification`, createdBy, totals, {}, citus);
  return totals;
}
