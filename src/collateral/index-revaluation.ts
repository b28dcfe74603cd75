/**
 * Revaluation in bulk by a market index (市场指数法): a CSV of percent changes by collateral type
 * (`type,change_percent[,source]`, e.g. `residential-real-estate,-8.50,国家统计局 70 城房价指数`)
 * applied to the latest value of every registered piece of that type. Each new value is
 * value × (1 + change), rounded half-even to the fen, recorded as a `market-index` valuation;
 * the memo ledger follows and loan-to-value breaches raise events, as for any valuation.
 */
import type { Kysely } from 'kysely';
import { parseCsvTable } from '../csv/index.js';
import type { Database } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { ValidationError } from '../errors.js';
import { formatMoney } from '../money/format-money.js';
import { minor, type Minor } from '../money/minor.js';
import { divideRounded } from '../money/rounding.js';
import { COLLATERAL_TYPES, type CollateralType } from './collateral-terms.js';
import { valueCollateral, type SecurityEvent } from './security-events.js';
import { latestValuations } from './security-views.js';

/** One index change: basis points of value, by type. */
export interface IndexChange {
  readonly type: CollateralType;
  readonly changeBp: number;
  readonly source: string;
}

/** Bound on the pieces one file revalues: a run is chunked by the caller beyond it. */
export const MAX_REVALUED = 100_000;

/**
 * Parses the index file: one row per type, change in percent with at most two decimals, above −100%.
 *
 * @example
 * parseIndexCsv('type,change_percent\nresidential-real-estate,-8.50\n'); // [{ type: 'residential-real-estate', changeBp: -850, source: 'market index' }]
 */
export function parseIndexCsv(text: string, field = '--index'): IndexChange[] {
  const table = parseCsvTable(text, field);
  const typeAt = table.header.indexOf('type');
  const changeAt = table.header.indexOf('change_percent');
  const sourceAt = table.header.indexOf('source');
  if (typeAt < 0 || changeAt < 0) throw new ValidationError(field, 'needs the columns type and change_percent');
  const seen = new Set<string>();
  return table.rows.map((row, index) => {
    const line = index + 2;
    const type = row[typeAt]!.trim();
    if (!(COLLATERAL_TYPES as readonly string[]).includes(type)) throw new ValidationError(field, `line ${line}: type "${type}" is not one of ${COLLATERAL_TYPES.join(', ')}`);
    if (seen.has(type)) throw new ValidationError(field, `line ${line}: type ${type} appears twice`);
    seen.add(type);
    const match = /^([+-]?)([0-9]{1,3})(?:\.([0-9]{1,2}))?$/.exec(row[changeAt]!.trim());
    if (!match) throw new ValidationError(field, `line ${line}: change_percent "${row[changeAt]}" must be a percent with at most two decimals, e.g. -8.50`);
    const bp = (Number(match[2]) * 100 + Number((match[3] ?? '0').padEnd(2, '0'))) * (match[1] === '-' ? -1 : 1);
    if (bp <= -10000 || bp > 100000) throw new ValidationError(field, `line ${line}: change_percent must be above -100 and at most 1000`);
    const source = sourceAt >= 0 ? row[sourceAt]!.trim() : '';
    return { type: type as CollateralType, changeBp: bp, source: source === '' ? 'market index' : source.slice(0, 200) };
  });
}

/** value × (10000 + bp) / 10000, half-even to the fen. */
export function indexedValue(value: Minor, changeBp: number): Minor {
  return minor(divideRounded(value * BigInt(10000 + changeBp), 10_000n, 'half-even'));
}

export interface RevaluedPiece {
  readonly collateralId: string;
  readonly type: CollateralType;
  readonly identifier: string;
  readonly before: string;
  readonly after: string;
  readonly events: readonly SecurityEvent[];
}

/**
 * Applies the index to every registered piece of the types it names, one transaction per piece
 * (a long file does not hold one transaction open), in register order.
 */
export async function revalueByIndex(db: Kysely<Database>, changes: readonly IndexChange[], actor: string): Promise<RevaluedPiece[]> {
  if (changes.length === 0) return [];
  const byType = new Map(changes.map((change) => [change.type, change]));
  const pieces = await db.selectFrom('collateral').select(['id', 'type', 'identifier']).where('status', '=', 'registered').where('type', 'in', [...byType.keys()]).orderBy('created_at').orderBy('id').limit(MAX_REVALUED + 1).execute();
  if (pieces.length > MAX_REVALUED) throw new ValidationError('--index', `more than ${MAX_REVALUED} pieces to revalue at once`);
  const values = await latestValuations(db, pieces.map((p) => p.id));
  const done: RevaluedPiece[] = [];
  for (const piece of pieces) {
    const latest = values.get(piece.id);
    const change = byType.get(piece.type)!;
    if (latest === undefined) continue;
    const after = indexedValue(latest.value, change.changeBp);
    if (after <= 0n) continue;
    const { events } = await inTransaction(db, (trx) => valueCollateral(trx, piece.id, { value: formatMoney(after), method: 'market-index', appraiser: change.source }, actor));
    done.push({ collateralId: piece.id, type: piece.type, identifier: piece.identifier, before: formatMoney(latest.value), after: formatMoney(after), events });
  }
  return done;
}
