/**
 * Memo (off-balance-sheet, 表外) postings of security held. A registered piece of collateral sits
 * on `collateral-held` at its latest value; a held guarantee on `guarantees-held` at its amount;
 * each against its contra account, so the entry balances and no balance-sheet account moves.
 *
 * Each row keeps the id of the entry that holds it. An event (registration, revaluation, release,
 * a call) reverses that entry and posts the new amount, so the memo accounts always equal the
 * register: the sum of what is held, entry by entry (test/collateral/memo-properties.test.ts).
 */
import type { Transaction } from 'kysely';
import type { BusinessDate } from '../calendar/business-date.js';
import type { Database } from '../db/schema.js';
import { invariant } from '../errors.js';
import { postEntry, reverseEntry } from '../ledger/post-entry.js';
import { minor, type Minor } from '../money/minor.js';
import { formatMoney } from '../money/format-money.js';

/** The amount an entry put on `purpose` (0 when it has no such line). */
async function entryAmount(trx: Transaction<Database>, entryId: string, purpose: string): Promise<bigint> {
  const row = await trx
    .selectFrom('journal_line')
    .innerJoin('ledger_account', 'ledger_account.code', 'journal_line.account_code')
    .select('journal_line.amount')
    .where('journal_line.entry_id', '=', entryId)
    .where('ledger_account.purpose', '=', purpose)
    .executeTakeFirst();
  return row?.amount ?? 0n;
}

/**
 * Makes the memo entry of a held item say `target` fen: nothing when it already does; otherwise
 * reverses the old entry (if any) and posts the new amount (if any). Returns the id of the entry
 * now holding it, or null.
 */
async function holdOnMemo(
  trx: Transaction<Database>,
  held: { readonly enterpriseId: string; readonly entryId: string | null; readonly target: Minor; readonly purpose: 'collateral-held' | 'guarantees-held'; readonly kind: string; readonly description: string },
  date: BusinessDate,
  actor: string,
  reason: string,
): Promise<string | null> {
  invariant(held.target >= 0n, `memo amount ${held.target} is negative`);
  if (held.entryId !== null && (await entryAmount(trx, held.entryId, held.purpose)) === held.target) return held.entryId;
  if (held.entryId !== null) await reverseEntry(trx, held.entryId, date, actor, reason);
  if (held.target === 0n) return null;
  const id = await postEntry(trx, {
    enterpriseId: held.enterpriseId,
    businessDate: date,
    kind: held.kind,
    description: `${held.description}: ${formatMoney(held.target)}`,
    createdBy: actor,
    lines: [
      { purpose: held.purpose, amount: held.target },
      { purpose: `${held.purpose}-contra`, amount: minor(-held.target) },
    ],
  });
  invariant(id !== undefined, 'a memo entry of a positive amount was posted');
  return id;
}

/**
 * Brings a piece of collateral's memo entry in line with the register: its latest value while
 * registered, nothing otherwise.
 */
export async function syncCollateralMemo(trx: Transaction<Database>, collateralId: string, date: BusinessDate, actor: string, reason: string): Promise<void> {
  const row = await trx.selectFrom('collateral').select(['id', 'enterprise_id', 'status', 'memo_entry_id', 'identifier']).where('id', '=', collateralId).executeTakeFirstOrThrow();
  const latest = await trx.selectFrom('collateral_valuation').select('value').where('collateral_id', '=', collateralId).orderBy('valued_on', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const target = row.status === 'registered' && latest ? latest.value : minor(0n);
  const entryId = await holdOnMemo(trx, { enterpriseId: row.enterprise_id, entryId: row.memo_entry_id, target, purpose: 'collateral-held', kind: 'collateral-held', description: `collateral ${row.identifier} held` }, date, actor, reason);
  if (entryId !== row.memo_entry_id) await trx.updateTable('collateral').set({ memo_entry_id: entryId }).where('id', '=', collateralId).execute();
}

/** Brings a guarantee's memo entry in line with the register: its amount while held, nothing otherwise. */
export async function syncGuaranteeMemo(trx: Transaction<Database>, guaranteeId: string, date: BusinessDate, actor: string, reason: string): Promise<void> {
  const row = await trx.selectFrom('guarantee').select(['id', 'enterprise_id', 'status', 'amount', 'memo_entry_id']).where('id', '=', guaranteeId).executeTakeFirstOrThrow();
  const target = row.status === 'held' ? row.amount : minor(0n);
  const entryId = await holdOnMemo(trx, { enterpriseId: row.enterprise_id, entryId: row.memo_entry_id, target, purpose: 'guarantees-held', kind: 'guarantee-held', description: `guarantee ${row.id} held` }, date, actor, reason);
  if (entryId !== row.memo_entry_id) await trx.updateTable('guarantee').set({ memo_entry_id: entryId }).where('id', '=', guaranteeId).execute();
}
