/**
 * Financing a payment certificate (凭证融资): the holder asks, the bank advances the confirmed
 * amount × the programme's advance rate to the holder, with interest by the day to the due date,
 * discounted up front or paid at maturity as the programme says.
 *
 * The decision rests on the core enterprise's credit: its programme in force with headroom, and
 * no financing of it overdue nor any loan of it classified worse than normal. The supplier's own
 * data weighs lighter: it must not itself have a non-performing loan. The concentration limits
 * per supplier and per industry bound what one firm or one trade can take of the programme.
 */
import type { Kysely, Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-trail.js';
import { daysBetween, type BusinessDate } from '../calendar/business-date.js';
import type { Database } from '../db/schema.js';
import { ConflictError, LimitExceededError, NotFoundError, invariant } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { scfAccountPurpose } from '../ledger/chart-of-accounts.js';
import { postEntry } from '../ledger/post-entry.js';
import { formatMoney } from '../money/format-money.js';
import { minor, type Minor } from '../money/minor.js';
import { lprOn, type LprRow } from '../pricing/lpr.js';
import { multiplyRate, rateToUnits, rateUnits, unitsToRate, type RateUnits } from '../pricing/rate-units.js';
import { getCertificate, takeHeld, type Certificate } from './certificates.js';
import { financingTerms, type FinancingTerms } from './financing-terms.js';
import { getProgramme, programmeUsage, toProgramme, type Programme } from './programmes.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** What financing a certificate would cost, shown before the holder confirms. */
export interface FinancingQuote extends FinancingTerms {
  readonly certificateId: string;
  readonly face: Minor;
  readonly rateUnits: RateUnits;
  readonly financedOn: BusinessDate;
  readonly dueOn: BusinessDate;
  readonly interestPayer: Programme['interestPayer'];
  readonly interestTiming: Programme['interestTiming'];
}

/** The programme's price on `date`: its LPR plus its spread. */
async function programmeRate(db: Executor, programme: Programme, date: BusinessDate): Promise<RateUnits> {
  const rows = await db.selectFrom('lpr_rate').selectAll().where('tenor', '=', programme.lprTenor).execute();
  const table: LprRow[] = rows.map((row) => ({ tenor: row.tenor, effectiveFrom: row.effective_from, rate: row.rate }));
  return rateUnits(rateToUnits(lprOn(table, programme.lprTenor, date), 'lpr') + programme.spreadUnits);
}

/**
 * The cost of financing the certificate today, and every refusal a financing would meet, without
 * changing anything. `holderId` must hold it.
 */
export async function quoteFinancing(db: Executor, certificateId: string, holderId: string, today: BusinessDate): Promise<FinancingQuote> {
  const certificate = await getCertificate(db, certificateId);
  if (certificate.holderId !== holderId) throw new NotFoundError(`certificate ${certificateId}`);
  if (certificate.status !== 'held') throw new ConflictError(`certificate ${certificateId} is ${certificate.status}, no longer held`, 'certificateId', 'certificate-not-held', { status: certificate.status });
  const programme = await getProgramme(db, certificate.programmeId);
  return quoteFor(db, certificate, programme, today);
}

async function quoteFor(db: Executor, certificate: Certificate, programme: Programme, today: BusinessDate): Promise<FinancingQuote> {
  await checkEligible(db, certificate, programme, today);
  const rate = await programmeRate(db, programme, today);
  const terms = financingTerms({
    face: certificate.faceAmount, advanceRateBp: programme.advanceRateBp, rateUnits: rate, financedOn: today, dueOn: certificate.dueOn,
    interestPayer: programme.interestPayer, interestTiming: programme.interestTiming,
  });
  if (terms.surplusAtMaturity < 0n) {
    throw new LimitExceededError('the advance and its interest exceed the face amount', 'certificateId', 'advance-above-face', { face: formatMoney(certificate.faceAmount) });
  }
  await checkLimits(db, certificate, programme, terms.principal);
  return {
    ...terms, certificateId: certificate.id, face: certificate.faceAmount, rateUnits: rate, financedOn: today, dueOn: certificate.dueOn,
    interestPayer: programme.interestPayer, interestTiming: programme.interestTiming,
  };
}

/** The refusals that do not depend on the amount. */
async function checkEligible(db: Executor, certificate: Certificate, programme: Programme, today: BusinessDate): Promise<void> {
  if (programme.status !== 'active' || today < programme.startsOn || today > programme.endsOn) {
    throw new LimitExceededError(`programme ${programme.id} is not in force on ${today}`, 'certificateId', 'programme-not-in-force', { endsOn: programme.endsOn });
  }
  if (certificate.dueOn <= today) throw new ConflictError(`certificate ${certificate.id} fell due on ${certificate.dueOn}`, 'certificateId', 'certificate-due', { dueOn: certificate.dueOn });
  const tenor = daysBetween(today, certificate.dueOn);
  if (tenor > programme.maxTenorDays) throw new LimitExceededError(`${tenor} days to maturity is longer than the programme's ${programme.maxTenorDays}`, 'certificateId', 'tenor-too-long', { days: tenor, max: programme.maxTenorDays });
  const receivable = await db.selectFrom('scf_receivable').select(['disputed', 'invoice_no']).where('id', '=', certificate.receivableId).executeTakeFirstOrThrow();
  if (receivable.disputed) throw new ConflictError(`invoice ${receivable.invoice_no} is disputed`, 'certificateId', 'receivable-disputed', { invoiceNo: receivable.invoice_no });
  if (certificate.warning !== null) throw new ConflictError(`certificate ${certificate.id} carries a dilution warning: ${certificate.warning}`, 'certificateId', 'dilution-warning');
  // The core enterprise's credit: nothing of it overdue here, no loan of it worse than normal.
  const coreOverdue = await db.selectFrom('scf_financing').select('id').where('core_enterprise_id', '=', certificate.coreEnterpriseId).where('status', '=', 'overdue').executeTakeFirst();
  const coreImpaired = await db.selectFrom('loan').select('id').where('enterprise_id', '=', certificate.coreEnterpriseId).where('status', '=', 'active').where('classification', '<>', 'normal').executeTakeFirst();
  if (coreOverdue || coreImpaired) throw new LimitExceededError(`core enterprise ${certificate.coreEnterpriseId} has overdue or impaired exposure`, 'certificateId', 'core-enterprise-impaired');
  // The supplier's own data, lighter: no non-performing loan of its own.
  const supplierBad = await db.selectFrom('loan').select('id').where('enterprise_id', '=', certificate.holderId).where('status', '=', 'active').where('classification', 'in', ['substandard', 'doubtful', 'loss']).executeTakeFirst();
  if (supplierBad) throw new LimitExceededError(`holder ${certificate.holderId} has a non-performing loan`, 'certificateId', 'supplier-impaired');
}

/** Programme headroom and the concentration limits per supplier and per industry. */
async function checkLimits(db: Executor, certificate: Certificate, programme: Programme, principal: Minor): Promise<void> {
  const usage = await programmeUsage(db, programme);
  if (principal > usage.headroom) {
    throw new LimitExceededError(`${formatMoney(principal)} is above the programme's headroom of ${formatMoney(usage.headroom)}`, 'certificateId', 'programme-headroom', { available: formatMoney(usage.headroom) });
  }
  const bySupplier = await outstanding(db, programme.id, (q) => q.where('supplier_id', '=', certificate.holderId));
  if (bySupplier + principal > programme.supplierLimit) {
    throw new LimitExceededError('above the programme limit per supplier', 'certificateId', 'supplier-limit', { available: formatMoney(minor(programme.supplierLimit - bySupplier)) });
  }
  const holder = await db.selectFrom('enterprise').select('industry').where('id', '=', certificate.holderId).executeTakeFirstOrThrow();
  if (holder.industry !== null) {
    const industry = holder.industry;
    const byIndustry = await outstanding(db, programme.id, (q) => q.where('supplier_id', 'in', (eb) => eb.selectFrom('enterprise').select('id').where('industry', '=', industry)));
    if (byIndustry + principal > programme.industryLimit) {
      throw new LimitExceededError('above the programme limit per industry', 'certificateId', 'industry-limit', { available: formatMoney(minor(programme.industryLimit - byIndustry)), industry });
    }
  }
}

type FinancingQuery = ReturnType<typeof financingQuery>;
function financingQuery(db: Executor, programmeId: string) {
  return db
    .selectFrom('scf_financing')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<string>('principal'), eb.val('0')).as('total'))
    .where('programme_id', '=', programmeId)
    .where('status', '<>', 'settled');
}

async function outstanding(db: Executor, programmeId: string, narrow: (query: FinancingQuery) => FinancingQuery): Promise<Minor> {
  const row = await narrow(financingQuery(db, programmeId)).executeTakeFirstOrThrow();
  return minor(BigInt(row.total));
}

/** A financing made. */
export interface Financing extends FinancingQuote {
  readonly id: string;
}

/**
 * Finances the certificate: locks the programme (so two financings cannot both take the last of
 * its headroom), takes the certificate out of `held` (so it cannot be financed or transferred
 * twice), and posts the advance: the financing asset at its principal, the disbursement to the
 * holder, and the discount as interest income when taken up front.
 */
export async function financeCertificate(trx: Transaction<Database>, certificateId: string, holderId: string, today: BusinessDate, by: string): Promise<Financing> {
  const programmeId = (await getCertificate(trx, certificateId)).programmeId;
  const programme = toProgramme(await trx.selectFrom('scf_programme').selectAll().where('id', '=', programmeId).forUpdate().executeTakeFirstOrThrow());
  const certificate = await takeHeld(trx, certificateId, holderId, 'financed', today);
  const quote = await quoteFor(trx, { ...certificate, status: 'held' }, programme, today);
  const id = uuidv7();
  await trx
    .insertInto('scf_financing')
    .values({
      id, certificate_id: certificate.id, programme_id: programme.id, core_enterprise_id: certificate.coreEnterpriseId, supplier_id: holderId,
      face_amount: quote.face, principal: quote.principal, rate_units: quote.rateUnits, days: quote.days, interest: quote.interest,
      interest_payer: quote.interestPayer, interest_timing: quote.interestTiming, disbursed: quote.disbursed, financed_on: today, due_on: quote.dueOn,
      penalty_rate_units: multiplyRate(quote.rateUnits, programme.penaltyMultiplier),
      status: 'active', created_by: by, created_at: new Date(),
    })
    .execute();
  const upFront = quote.interestTiming === 'discounted' ? quote.interest : minor(0n);
  invariant(quote.disbursed + upFront === quote.principal, 'the advance is what was paid out plus the discount');
  await postEntry(trx, {
    enterpriseId: holderId, businessDate: today, kind: 'scf-financing', description: `financing of certificate ${certificate.id}`, createdBy: by, certificateId: certificate.id,
    lines: [
      { purpose: scfAccountPurpose('normal'), amount: quote.principal },
      { purpose: 'settlement', amount: minor(-quote.disbursed) },
      { purpose: 'interest-income', amount: minor(-upFront) },
    ],
  });
  await appendAudit(trx, {
    actor: by, action: 'scf.finance', entityType: 'scf_certificate', entityId: certificate.id,
    after: { financingId: id, principal: formatMoney(quote.principal), interest: formatMoney(quote.interest), disbursed: formatMoney(quote.disbursed), rate: unitsToRate(quote.rateUnits) },
  });
  return { ...quote, id };
}
