/**
 * Supply-chain finance in the demo book (issue 18): two core enterprises of the simulated
 * population, each with a programme and suppliers in three tiers, living their receivables through
 * the history with the same service functions the API calls — registered by the tier-1 supplier,
 * confirmed by the core enterprise, split and passed down the chain, financed, and paid at
 * maturity. The second core enterprise leaves its last receivable unpaid, so the officer console
 * shows an overdue financing.
 *
 * Everything is drawn from `randomFor(seed, …)` and the population's order, so the same seed tells
 * the same story. The demo borrower's firm joins the first core enterprise's programme half way
 * through (one receivable financed and paid before the end), and at the end holds a confirmed
 * certificate it may finance and has a receivable awaiting the core enterprise's confirmation.
 */
import type { Kysely } from 'kysely';
import { addDays, toDayNumber, type BusinessDate } from '../calendar/index.js';
import { randomFor } from '../data/seeded-random.js';
import type { Database } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { formatMoney } from '../money/format-money.js';
import { minor, type Minor } from '../money/minor.js';
import { splitCertificate, transferCertificate } from '../supply-chain/certificates.js';
import { financeCertificate } from '../supply-chain/financing.js';
import { payReceivable } from '../supply-chain/maturity.js';
import { addEligibleSupplier, createProgramme } from '../supply-chain/programmes.js';
import { confirmReceivables, registerReceivable } from '../supply-chain/receivables.js';
import { splitByWeights } from '../supply-chain/split-certificate-amounts.js';

/** Who acts in the demo's supply chain (the audit trail's actor). */
const DEMO_ACTOR = 'demo';

/** A demo firm the supply chain may use: registered, never applying for a loan, never defaulting. */
export interface SupplyChainFirm {
  readonly enterpriseId: string;
  readonly creditCode: string;
  readonly medium: boolean;
}

/** One core enterprise's chain: tier-1 suppliers, tier-2 and tier-3 firms further down, all invited (a certificate passes only to an invited supplier). */
interface Chain {
  readonly core: SupplyChainFirm;
  readonly programmeId: string;
  readonly tier1: readonly [string, string];
  readonly tier2: readonly [string, string];
  readonly tier3: string;
  /** The second core enterprise does not pay its last receivable. */
  readonly paysLate: boolean;
}

/**
 * What becomes of a receivable once confirmed: `finance` (the tier-1 supplier finances it whole),
 * `chain` (split, a part passed to tier 2, split again, a part to tier 3, which finances; tier 1
 * finances its part), `pass` (split, a part passed to tier 2, which finances; tier 1 holds the
 * rest), `hold` (held to maturity).
 */
type Fate = 'finance' | 'chain' | 'pass' | 'hold';

/** The receivables of each core enterprise: when in the history (share of its weekdays), tenor in days, fate. */
const RECEIVABLES: readonly { readonly at: number; readonly tenorDays: number; readonly fate: Fate }[] = [
  { at: 0, tenorDays: 30, fate: 'finance' },
  { at: 0.3, tenorDays: 90, fate: 'chain' },
  { at: 0.5, tenorDays: 25, fate: 'pass' },
  { at: 0.8, tenorDays: 120, fate: 'hold' },
];

/** Firms the supply chain needs: two core enterprises and five suppliers each. */
const FIRMS_NEEDED = 12;

export interface DemoSupplyChain {
  /** The weekday's work: receivables registered and confirmed, financed, paid at maturity. */
  onWeekday(date: BusinessDate, index: number): Promise<void>;
  /** On the last business date: the showcase borrower's certificate to finance and receivable to confirm. */
  finish(date: BusinessDate, showcaseEnterpriseId: string | null): Promise<void>;
  /** The first core enterprise: the demo's core-enterprise login acts for it. */
  readonly coreEnterpriseId: string;
  /** The borrower who joined the first programme half way through, if any. */
  supplierEnterpriseId(): string | null;
}

/**
 * Plans the demo's supply chain over `businessDays` (the history's weekdays) from `firms` (in the
 * population's order), or null when the book is too small to hold it. `pickSupplier` names, half
 * way through, a performing borrower to join the first programme.
 */
export async function planDemoSupplyChain(
  db: Kysely<Database>,
  seed: number,
  firms: readonly SupplyChainFirm[],
  businessDays: readonly BusinessDate[],
  pickSupplier: (exclude: ReadonlySet<string>) => Promise<string | null>,
): Promise<DemoSupplyChain | null> {
  const mediums = firms.filter((firm) => firm.medium);
  if (firms.length < FIRMS_NEEDED || businessDays.length < 20) return null;
  const cores = [...mediums, ...firms.filter((firm) => !firm.medium)].slice(0, 2);
  const suppliers = firms.filter((firm) => !cores.includes(firm)).map((firm) => firm.enterpriseId);
  const start = businessDays[0]!;
  const chains: Chain[] = [];
  for (const [index, core] of cores.entries()) {
    const [a, b, c, d, e] = suppliers.slice(index * 5, index * 5 + 5) as [string, string, string, string, string];
    const limit = index === 0 ? '30000000.00' : '20000000.00';
    const programme = await inTransaction(db, (trx) =>
      createProgramme(
        trx,
        {
          coreEnterpriseId: core.enterpriseId, limit, startsOn: start, endsOn: addDays(start, 730), lprTenor: '1y', spread: index === 0 ? '0.50' : '0.80',
          interestPayer: index === 0 ? 'supplier' : 'core-enterprise', interestTiming: index === 0 ? 'discounted' : 'at-maturity',
          advanceRate: index === 0 ? '90' : '85', maxTenorDays: 180, supplierLimit: index === 0 ? '8000000.00' : '6000000.00', industryLimit: limit, supplierIds: [a, b, c, d, e],
        },
        DEMO_ACTOR,
      ),
    );
    chains.push({ core, programmeId: programme.id, tier1: [a, b], tier2: [c, d], tier3: e, paysLate: index === 1 });
  }
  const used = new Set([...cores.map((core) => core.enterpriseId), ...suppliers.slice(0, 10)]);
  const payments = new Map<BusinessDate, { readonly core: string; readonly receivableId: string }[]>();
  const schedule = (date: BusinessDate, core: string, receivableId: string) => payments.set(date, [...(payments.get(date) ?? []), { core, receivableId }]);
  const registrations = new Map<number, { readonly chain: Chain; readonly number: number }[]>();
  for (const chain of chains) {
    for (const [number, receivable] of RECEIVABLES.entries()) {
      const day = Math.floor(receivable.at * (businessDays.length - 1));
      registrations.set(day, [...(registrations.get(day) ?? []), { chain, number }]);
    }
  }
  const midpoint = Math.floor(0.5 * (businessDays.length - 1));
  const last = businessDays[businessDays.length - 1]!;
  let supplier: string | null = null;

  /** Registers and confirms invoice `invoiceNo` of `seller` on `core`; returns the receivable and its certificate. */
  const confirmed = async (core: string, seller: string, invoiceNo: string, amount: Minor, date: BusinessDate, tenorDays: number) => {
    const dueOn = weekdayOnOrAfter(addDays(date, tenorDays));
    return inTransaction(db, async (trx) => {
      const { id } = await registerReceivable(trx, core, seller, { invoiceNo, amount: formatMoney(amount), issuedOn: addDays(date, -7), dueOn, documents: `合同 ${invoiceNo.replace('INV', 'HT')}；送货单 ${invoiceNo.replace('INV', 'SH')}` }, date, DEMO_ACTOR);
      const [confirmation] = await confirmReceivables(trx, core, [id], date, DEMO_ACTOR);
      return { receivableId: id, certificateId: confirmation!.certificateId, dueOn };
    });
  };
  const finance = (certificateId: string, holder: string, date: BusinessDate) => inTransaction(db, (trx) => financeCertificate(trx, certificateId, holder, date, DEMO_ACTOR));
  /** Splits `certificateId` by `weights` and passes the last part to `to`; returns the parts kept and passed. */
  const pass = async (certificateId: string, holder: string, face: Minor, weights: readonly bigint[], to: string, date: BusinessDate) =>
    inTransaction(db, async (trx) => {
      const parts = await splitCertificate(trx, certificateId, holder, splitByWeights(face, weights), date, DEMO_ACTOR);
      const passed = await transferCertificate(trx, parts[parts.length - 1]!.id, holder, to, date, DEMO_ACTOR);
      return { kept: parts.slice(0, -1), passed };
    });

  /** Face amounts of 200,000 to 1,500,000 yuan, in thousands, from the core enterprise's stream. */
  const faceOf = (core: SupplyChainFirm, label: string): Minor => minor(BigInt(200 + randomFor(seed, core.creditCode, `scf-${label}`).below(1301)) * 1_000_00n);

  const live = async (chain: Chain, number: number, date: BusinessDate) => {
    const receivable = RECEIVABLES[number]!;
    const face = faceOf(chain.core, `${number}`);
    const invoiceNo = `INV-${date.replaceAll('-', '')}-${chain.core.creditCode.slice(-4)}${number}`;
    const [t1a, t1b] = chain.tier1;
    const [t2a, t2b] = chain.tier2;
    const seller = number % 2 === 0 ? t1a : t1b;
    const made = await confirmed(chain.core.enterpriseId, seller, invoiceNo, face, date, receivable.tenorDays);
    // The late core enterprise's overdue stops all financing of its certificates after its due date.
    const late = chain.paysLate && number === 2;
    if (!late) schedule(made.dueOn, chain.core.enterpriseId, made.receivableId);
    if (receivable.fate === 'finance') await finance(made.certificateId, seller, date);
    if (receivable.fate === 'chain') {
      const first = await pass(made.certificateId, seller, face, [3n, 2n], t2a, date);
      const second = await pass(first.passed.id, t2a, first.passed.faceAmount, [1n, 1n], chain.tier3, date);
      await finance(second.passed.id, chain.tier3, date);
      await finance(first.kept[0]!.id, seller, date);
    }
    if (receivable.fate === 'pass') {
      const passed = await pass(made.certificateId, seller, face, [7n, 3n], t2b, date);
      await finance(passed.passed.id, t2b, date);
    }
  };

  return {
    coreEnterpriseId: chains[0]!.core.enterpriseId,
    supplierEnterpriseId: () => supplier,
    async onWeekday(date, index) {
      for (const payment of payments.get(date) ?? []) await inTransaction(db, (trx) => payReceivable(trx, payment.core, payment.receivableId, date, DEMO_ACTOR));
      for (const { chain, number } of registrations.get(index) ?? []) await live(chain, number, date);
      if (index === midpoint) {
        // A performing borrower joins the first programme: a receivable financed now and paid before the end.
        supplier = await pickSupplier(used);
        if (supplier === null) return;
        const chain = chains[0]!;
        await inTransaction(db, (trx) => addEligibleSupplier(trx, chain.programmeId, supplier!, DEMO_ACTOR));
        const made = await confirmed(chain.core.enterpriseId, supplier, `INV-${date.replaceAll('-', '')}-S1`, faceOf(chain.core, 'showcase-1'), date, Math.min(20, Math.max(1, toDayNumber(last) - toDayNumber(date) - 3)));
        schedule(made.dueOn, chain.core.enterpriseId, made.receivableId);
        await finance(made.certificateId, supplier, date);
      }
    },
    async finish(date, showcaseEnterpriseId) {
      if (showcaseEnterpriseId === null) return;
      const chain = chains[0]!;
      if (showcaseEnterpriseId !== supplier) await inTransaction(db, (trx) => addEligibleSupplier(trx, chain.programmeId, showcaseEnterpriseId, DEMO_ACTOR));
      // A confirmed certificate to finance, and an invoice the core enterprise has yet to confirm.
      await confirmed(chain.core.enterpriseId, showcaseEnterpriseId, `INV-${date.replaceAll('-', '')}-S2`, faceOf(chain.core, 'showcase-2'), date, 60);
      await inTransaction(db, (trx) =>
        registerReceivable(trx, chain.core.enterpriseId, showcaseEnterpriseId, { invoiceNo: `INV-${date.replaceAll('-', '')}-S3`, amount: formatMoney(faceOf(chain.core, 'showcase-3')), issuedOn: date, dueOn: weekdayOnOrAfter(addDays(date, 90)), documents: '合同 HT-S3；送货单 SH-S3' }, date, DEMO_ACTOR),
      );
    },
  };
}

/** `date`, or the Monday after when it falls on a weekend: a core enterprise pays on a business day. 1970-01-01 was a Thursday. */
function weekdayOnOrAfter(date: BusinessDate): BusinessDate {
  const weekday = (((toDayNumber(date) + 4) % 7) + 7) % 7;
  return weekday === 6 ? addDays(date, 2) : weekday === 0 ? addDays(date, 1) : date;
}
