/**
 * The bookkeeping of an end-of-day run: the run row, its chunks, and how workers claim them.
 *
 * A run is created once per business date with its chunks (ranges of loan ids, each about the
 * same number of loans; a run opened before migration 0066 has ranges of the 1024 shards; on
 * Citus, each chunk is a part of one shard's borrowers, with all their loans). A
 * worker claims a chunk with one conditional UPDATE, which succeeds for exactly one of several
 * racing workers; a claim whose lease has expired (its worker died) may be claimed again. The
 * chunk's loan work and its `done` mark commit together (process-chunk.ts), so a chunk is either
 * wholly done or not at all.
 */
import { sql, type Kysely, type RawBuilder, type Selectable, type Transaction } from 'kysely';
import type { BusinessDate } from '../calendar/business-date.js';
import type { Database, EodRunTable } from '../db/schema.js';
import { citusShardRanges, hasCitus, type HashRange } from '../db/distribution.js';
import { invariant } from '../errors.js';
import { asynchronousCommitSql } from '../db/transaction-settings.js';
import { uuidv7 } from '../ids.js';
import { unnestRows } from '../db/unnest-rows.js';
import { minor, type Minor } from '../money/minor.js';

/** Loan shards (`loan.shard` is 0..1023). */
export const SHARDS = 1024;

/**
 * A new loan's shard: stable, and spread evenly because it comes from the random bits at the end
 * of its UUIDv7.
 *
 * @example
 * shardOf('019a5d0e-8c1b-7f3e-9a21-4c6b8e2d1f00'); // 0xf00 % 1024 = 768
 */
export function shardOf(loanId: string): number {
  return Number.parseInt(loanId.slice(-3), 16) % SHARDS;
}

/**
 * Chunks are sized for about this many loans when the caller does not choose. Each chunk's
 * statement is planned afresh (100–250 ms of a loaded core for its CTEs) and posts its own entries,
 * so fewer, larger chunks cost less; 16,000 (was 4,000) still gives 64 chunks for two workers to
 * share on a million loans (docs/benchmarks.md, "End of day near the floor").
 */
export const TARGET_LOANS_PER_CHUNK = 16_000;

/**
 * A claimed chunk: its loans have `shardFrom <= shard < shardTo` and `idFrom <= id < idTo` (null:
 * unbounded), and on Citus a borrower whose id hashes into `borrowers` (part of one shard of `loan`).
 */
export interface ClaimedChunk {
  readonly chunkNo: number;
  readonly shardFrom: number;
  readonly shardTo: number;
  readonly idFrom: string | null;
  readonly idTo: string | null;
  /** On Citus: the hash range of the chunk's borrowers, a part of one shard's; null: every borrower. */
  readonly borrowers: HashRange | null;
}

export type EodRun = Pick<Selectable<EodRunTable>, 'id' | 'business_date' | 'shards_per_chunk' | 'chunk_count' | 'rules_version' | 'status'>;

/**
 * Shards per chunk for `activeLoans` loans: a power of two near TARGET_LOANS_PER_CHUNK loans per chunk.
 *
 * @example
 * defaultShardsPerChunk(1_000_000); // 16 → 64 chunks of about 15,600 loans
 */
export function defaultShardsPerChunk(activeLoans: number): number {
  const ideal = (SHARDS * TARGET_LOANS_PER_CHUNK) / Math.max(1, activeLoans);
  let shards = 1;
  while (shards < SHARDS && shards * 2 <= ideal) shards *= 2;
  return shards;
}

/**
 * The run for `date`, created with its chunks if there is none. Two processes starting the same
 * date meet on the run's unique business date: one inserts, the other finds its run.
 *
 * `shardsPerChunk` sets the number of chunks (1024 / shardsPerChunk); each chunk is a range of
 * loan ids cut at the book's quantiles (`chunkBoundaries`). Ids are UUIDv7, made in order as loans
 * are created, and rows are stored roughly in that order: a chunk's loans share their pages, where
 * a range of shards (random per loan) had a row on most pages of the table. The ranges cover every
 * id, so a loan created during the run falls in exactly one chunk, as with shards.
 *
 * On Citus (`citus`), each chunk is part of one shard of `loan`: the borrowers hashing into a part
 * of the shard's range, with all their loans, the requested chunks spread over the shards (at
 * least one a shard). Every chunk statement then names the chunk's borrowers and Citus routes it
 * to that shard alone (docs/scaling.md). The hash ranges cover every borrower once, so a loan is
 * again in exactly one chunk, and a borrower's loans are in the same one.
 *
 * `known`: the book as `measureBook` found it (or its size alone), when the caller measured it already.
 */
export async function openRun(trx: Kysely<Database> | Transaction<Database>, date: BusinessDate, shardsPerChunk: number, rulesVersion: string, citus = false, known?: number | BookMeasure): Promise<EodRun> {
  invariant(Number.isInteger(shardsPerChunk) && shardsPerChunk >= 1 && shardsPerChunk <= SHARDS, `shards per chunk ${shardsPerChunk}`);
  const id = uuidv7();
  const requested = Math.ceil(SHARDS / shardsPerChunk);
  if (!citus) {
    // On one server, the run and its chunks in one statement, atomic without a transaction: the
    // boundaries are cut points, and a loan made since they were read still falls in exactly one
    // range (end of day opened its run in a transaction of four round trips every night; s12q).
    const chunks = idRangeChunks(await chunkBoundaries(trx, date, requested, known), requested, null);
    invariant(chunks.length >= 1, `end-of-day run for ${date} has no chunk`);
    const ranges = sql.join(chunks.map((chunk, chunkNo) => sql`(cast(${chunkNo} as integer), cast(${chunk.idFrom} as uuid), cast(${chunk.idTo} as uuid))`));
    const inserted = await sql`
      with run as (
        insert into eod_run (id, business_date, shards_per_chunk, chunk_count, rules_version, status, started_at, finished_at)
        values (cast(${id} as uuid), cast(${date} as date), cast(${shardsPerChunk} as integer), cast(${chunks.length} as integer), cast(${rulesVersion} as text), 'running', cast(${new Date()} as timestamptz), null)
        on conflict (business_date) do nothing
        returning id)
      insert into eod_chunk (run_id, chunk_no, shard_from, shard_to, id_from, id_to, status, claimed_by, claimed_at, done_at, loans, interest, penalty)
      select run.id, c.chunk_no, 0, cast(${SHARDS} as integer), c.id_from, c.id_to, 'pending', null, null, null, 0, 0, 0
        from run cross join (values ${ranges}) as c(chunk_no, id_from, id_to)`.execute(trx);
    if (Number(inserted.numAffectedRows ?? 0n) > 0) return { id, business_date: date, shards_per_chunk: shardsPerChunk, chunk_count: chunks.length, rules_version: rulesVersion, status: 'running' };
    // Another process opened the run first: its row is the run.
    const run = await findRun(trx, date);
    invariant(run !== undefined, `end-of-day run for ${date} vanished`);
    return run;
  }
  invariant(trx.isTransaction, 'on Citus, a run is opened in a transaction');
  const chunks = await citusChunks(trx as Transaction<Database>, date, requested);
  invariant(chunks.length >= 1, `end-of-day run for ${date} has no chunk`);
  const inserted = await trx
    .insertInto('eod_run')
    .values({ id, business_date: date, shards_per_chunk: shardsPerChunk, chunk_count: chunks.length, rules_version: rulesVersion, status: 'running', started_at: new Date(), finished_at: null })
    .onConflict((oc) => oc.column('business_date').doNothing())
    .executeTakeFirst();
  if (inserted.numInsertedOrUpdatedRows === 1n) {
    await trx
      .insertInto('eod_chunk')
      .values(
        chunks.map((chunk, chunkNo) => ({
          run_id: id,
          chunk_no: chunkNo,
          shard_from: 0,
          shard_to: SHARDS,
          id_from: chunk.idFrom,
          id_to: chunk.idTo,
          borrower_hash_min: chunk.borrowers?.min ?? null,
          borrower_hash_max: chunk.borrowers?.max ?? null,
          status: 'pending' as const,
          claimed_by: null,
          claimed_at: null,
          done_at: null,
          loans: 0,
          interest: minor(0n),
          penalty: minor(0n),
        })),
      )
      .execute();
    return { id, business_date: date, shards_per_chunk: shardsPerChunk, chunk_count: chunks.length, rules_version: rulesVersion, status: 'running' };
  }
  // Another process opened the run first: its row is the run.
  const run = await findRun(trx, date);
  invariant(run !== undefined, `end-of-day run for ${date} vanished`);
  return run;
}

type ChunkRange = Pick<ClaimedChunk, 'idFrom' | 'idTo' | 'borrowers'>;

/**
 * `count` consecutive id ranges cut at `boundaries` (the first and the last unbounded; a range past
 * the boundaries there are, for an empty book, unbounded too), for the borrowers `borrowers` (null: all).
 */
function idRangeChunks(boundaries: readonly string[], count: number, borrowers: HashRange | null): ChunkRange[] {
  return Array.from({ length: count }, (_, k) => ({
    idFrom: k === 0 ? null : (boundaries[k - 1] ?? null),
    idTo: k === count - 1 ? null : (boundaries[k] ?? null),
    borrowers,
  }));
}

/**
 * On Citus: `requested` chunks spread over the shards of `loan`, `ceil(requested / shards)` a shard,
 * each an equal part of its shard's hash range: a sub-batch of the shard's borrowers, with every
 * loan of each (ids unbounded). Borrower ids are random, so their hashes spread evenly over a range.
 * A chunk's borrowers are named in its statements (`enterprise_id = any(…)`), and the planner
 * estimates such a list element by element, so each borrower is named in one chunk only, not in
 * every sub-batch of its shard as ranges of ids within a shard would (docs/benchmarks.md, s22e).
 */
async function citusChunks(trx: Transaction<Database>, date: BusinessDate, requested: number): Promise<ChunkRange[]> {
  const shards = await citusShardRanges(trx, 'loan');
  // Citus without `loan` distributed yet (placement runs after the migrations): chunks of ids alone.
  if (shards.length === 0) return idRangeChunks(await chunkBoundaries(trx, date, requested), requested, null);
  const perShard = Math.ceil(requested / shards.length);
  return shards.flatMap((shard) => splitHashRange(shard, perShard).map((borrowers) => ({ idFrom: null, idTo: null, borrowers })));
}

/**
 * `range` cut into `parts` consecutive ranges of about equal width that together cover it exactly.
 *
 * @example
 * splitHashRange({ min: 0, max: 99 }, 3); // [{ min: 0, max: 32 }, { min: 33, max: 65 }, { min: 66, max: 99 }]
 */
export function splitHashRange(range: HashRange, parts: number): HashRange[] {
  invariant(Number.isInteger(parts) && parts >= 1 && range.max >= range.min, `split ${range.min}..${range.max} in ${parts}`);
  const width = Math.max(1, Math.floor((range.max - range.min + 1) / parts));
  return Array.from({ length: parts }, (_, k) => ({
    min: Math.min(range.max, range.min + k * width),
    max: k === parts - 1 ? range.max : Math.min(range.max, range.min + (k + 1) * width - 1),
  })).filter((part, k, all) => k === 0 || part.min > all[k - 1]!.max);
}

/**
 * The ids cutting the book into `chunkCount` ranges of about as many loans: the loans on the books
 * at the close of the last night before `date` (its `loan_day` rows, read in key order from the
 * history's key), or the active loans when there is no such night. `chunkCount - 1` ids in order,
 * repeated when the book has fewer loans than chunks (an empty range); none for an empty book
 * (every range unbounded: the first chunk takes every loan, the others find none left).
 *
 * `known`: the book as `measureBook` found it (or its size alone), when the caller measured it
 * already. When it carries last night's chunks (`anchors`), each id is found by walking the
 * history's key from the nearest of last night's boundaries, whose position in the book the chunks'
 * counts give, by as many rows as the book moved since: the same ids as numbering the whole book,
 * for a few hundred rows read instead of a million (docs/benchmarks.md, "Session 22 (s22d)").
 */
export async function chunkBoundaries(trx: Kysely<Database> | Transaction<Database>, date: BusinessDate, chunkCount: number, known?: number | BookMeasure): Promise<string[]> {
  if (chunkCount < 2) return [];
  const measure = typeof known === 'number' ? undefined : known;
  const book = measure === undefined ? await bookToCut(trx, date) : measure.lastNight === null ? activeLoans : lastNightsLoans(measure.lastNight);
  const size = typeof known === 'number' ? known : (measure?.size ?? (await countBook(trx, book)));
  if (size === 0) return [];
  const positions = Array.from({ length: chunkCount - 1 }, (_, k) => Math.floor(((k + 1) * size) / chunkCount));
  const walks = measure?.lastNight != null && measure.anchors !== null ? planWalks(measure.anchors, size, positions) : undefined;
  const ids = walks !== undefined ? await walkToPositions(trx, measure!.lastNight!, walks) : await numberBook(trx, book, positions);
  // A loan may have left the books between the count and the read: its position then names the next id, or none.
  const found: string[] = [];
  for (const id of ids) {
    const named = id ?? found.at(-1);
    if (named !== undefined) found.push(named);
  }
  // In order, so every id falls in exactly one range whatever the counts said (they are exact when
  // nothing but end of day wrote last night's history: the walk then finds the ids the numbering would).
  return found.sort();
}

/** The id at each of `positions` (in order) of `book` ordered by id, by numbering every loan of it once; null past its end. */
async function numberBook(trx: Kysely<Database> | Transaction<Database>, book: RawBuilder<{ id: string }>, positions: readonly number[]): Promise<(string | null)[]> {
  const rows = await sql<{ id: string; n: bigint }>`
    select id, n from (select b.id, row_number() over (order by b.id) - 1 as n from (${book}) b) x
    where n in (select cast(p as bigint) from unnest(string_to_array(${positions.join(',')}, ',')) as u(p))
    order by n`.execute(trx);
  const idAt = new Map(rows.rows.map((row) => [Number(row.n), row.id]));
  return positions.map((position) => idAt.get(position) ?? null);
}

/**
 * A walk along last night's history rows in key order: from `anchor` (null: from the end of the
 * book, backwards), `rows` rows forwards (the row at the anchor's position is the first at or after
 * it) or backwards (the first is the last row before it).
 */
interface Walk {
  readonly anchor: string | null;
  readonly forward: boolean;
  readonly rows: number;
}

/**
 * The smallest UUID: the anchor at position 0, at or before every id. Rows are ordered by their
 * bytes (uuid_cmp), and this one's are all zero.
 */
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * For each position, the walk from the nearest anchor (the start, last night's boundaries, the
 * end); undefined when the walks together would read more than a quarter of the book (the chunks
 * changed in number, or the book in size): numbering it is then as cheap.
 */
function planWalks(anchors: readonly BookAnchor[], size: number, positions: readonly number[]): Walk[] | undefined {
  const points = [{ id: NIL_UUID, position: 0 }, ...anchors.filter((anchor) => anchor.position > 0 && anchor.position < size)];
  let total = 0;
  const walks = positions.map((position): Walk => {
    let best: Walk = { anchor: null, forward: false, rows: size - 1 - position };
    for (const point of points) {
      const walk = position >= point.position ? { anchor: point.id, forward: true, rows: position - point.position } : { anchor: point.id, forward: false, rows: point.position - 1 - position };
      if (walk.rows < best.rows) best = walk;
    }
    total += best.rows;
    return best;
  });
  return total * 4 <= size ? walks : undefined;
}

/**
 * The id each walk ends on along `night`'s history rows, through the history's key (business date,
 * loan id), in one statement: each reads its rows and no other; null where a walk ran past the book.
 */
async function walkToPositions(trx: Kysely<Database> | Transaction<Database>, night: BusinessDate, walks: readonly Walk[]): Promise<(string | null)[]> {
  const n = sql`cast(${night} as date)`;
  const rows = walks.map((walk, k) => ({ k, anchor: walk.anchor, steps: walk.rows }));
  const forward = rows.filter((_, k) => walks[k]!.forward);
  const backward = rows.filter((row, k) => !walks[k]!.forward && row.anchor !== null);
  const fromEnd = rows.filter((row, k) => !walks[k]!.forward && row.anchor === null);
  const columns = { k: 'integer', anchor: 'uuid', steps: 'bigint' } as const;
  const { rows: found } = await sql<{ k: number; id: string }>`
    select v.k, w.id from ${unnestRows(columns, forward)}
      cross join lateral (select loan_id as id from loan_day where business_date = ${n} and loan_id >= v.anchor order by loan_id offset v.steps limit 1) w
    union all
    select v.k, w.id from ${unnestRows(columns, backward)}
      cross join lateral (select loan_id as id from loan_day where business_date = ${n} and loan_id < v.anchor order by loan_id desc offset v.steps limit 1) w
    union all
    select v.k, w.id from ${unnestRows(columns, fromEnd)}
      cross join lateral (select loan_id as id from loan_day where business_date = ${n} order by loan_id desc offset v.steps limit 1) w`.execute(trx);
  const idAt = new Map(found.map((row) => [Number(row.k), row.id]));
  return walks.map((_, k) => idAt.get(k) ?? null);
}

/** The active loans: the book a new run cuts when there is no history before its date. */
const activeLoans = sql<{ id: string }>`select id from loan where status = 'active'`;

/** The loans on the books at the close of `night`: its history rows. */
function lastNightsLoans(night: BusinessDate): RawBuilder<{ id: string }> {
  return sql<{ id: string }>`select loan_id as id from loan_day where business_date = cast(${night} as date)`;
}

/** The loans a new run cuts into chunks (`chunkBoundaries`): the last night's `loan_day` rows before `date`, else the active loans. */
async function bookToCut(db: Kysely<Database> | Transaction<Database>, date: BusinessDate): Promise<RawBuilder<{ id: string }>> {
  const last = await db.selectFrom('loan_day').select('business_date').where('business_date', '<', date).orderBy('business_date', 'desc').limit(1).executeTakeFirst();
  return last === undefined ? activeLoans : lastNightsLoans(last.business_date);
}

async function countBook(db: Kysely<Database> | Transaction<Database>, book: RawBuilder<{ id: string }>): Promise<number> {
  return Number((await sql<{ n: bigint }>`select count(*) as n from (${book}) b`.execute(db)).rows[0]?.n ?? 0n);
}

/** A boundary of last night's chunks, and how many of last night's loans came before it. */
export interface BookAnchor {
  readonly id: string;
  readonly position: number;
}

/**
 * The book a new run cuts (`chunkBoundaries`), as `measureBook` found it: its size, the last night
 * before the run's date with history (null: none, the active loans are the book), and that night's
 * chunk boundaries with their positions in the book when its run's chunks counted it (else null).
 */
export interface BookMeasure {
  readonly size: number;
  readonly lastNight: BusinessDate | null;
  readonly anchors: readonly BookAnchor[] | null;
}

/**
 * The book a new run for `date` cuts into chunks, as `chunkBoundaries` reads it: end of day sizes
 * its chunks by it and hands it to `openRun`, so the book is counted once a night at most.
 *
 * Counted from the chunks of the last night's run when it closed (one statement that reads a few
 * dozen rows): each chunk wrote a history row for every loan it processed and counted them, and the
 * chunks' ranges cover every id once, so their counts are the night's history rows, and each
 * boundary's position is the counts of the chunks before it. Else (a first night, a night after a
 * run of chunks of shards or of Citus, a night whose run is not closed) counted from the narrow
 * history rows of the night before, or the active loans when there is none (a count of the active
 * loans was a read of the whole loan table, 1.1–1.4 s on a million loans; docs/benchmarks.md,
 * s21k; counting the history rows, 72 ms, s22d).
 *
 * @example
 * defaultShardsPerChunk((await measureBook(db, '2025-07-01')).size);
 */
export async function measureBook(db: Kysely<Database> | Transaction<Database>, date: BusinessDate): Promise<BookMeasure> {
  if (await hasCitus<Database>(db)) {
    const last = await db.selectFrom('loan_day').select('business_date').where('business_date', '<', date).orderBy('business_date', 'desc').limit(1).executeTakeFirst();
    const lastNight = last?.business_date ?? null;
    return { size: await countBook(db, lastNight === null ? activeLoans : lastNightsLoans(lastNight)), lastNight, anchors: null };
  }
  // The last night with history, and its run's chunks if that run closed: no row when there is no history.
  const { rows } = await sql<{ last_night: BusinessDate; chunk_no: number | null; id_from: string | null; id_to: string | null; loans: number | null; shard_from: number | null; shard_to: number | null; hashed: boolean | null }>`
    with last as (select business_date from loan_day where business_date < cast(${date} as date) order by business_date desc limit 1)
    select l.business_date as last_night, c.chunk_no, c.id_from, c.id_to, c.loans, c.shard_from, c.shard_to, c.borrower_hash_min is not null as hashed
    from last l
      left join eod_run r on r.business_date = l.business_date and r.status = 'done'
      left join eod_chunk c on c.run_id = r.id
    order by c.chunk_no`.execute(db);
  const lastNight = rows[0]?.last_night ?? null;
  const chunks = rows.filter((row) => row.chunk_no !== null);
  if (lastNight !== null && countedByIdRanges(chunks)) {
    const anchors: BookAnchor[] = [];
    let position = 0;
    for (const chunk of chunks) {
      if (chunk.id_from !== null) anchors.push({ id: chunk.id_from, position });
      position += Number(chunk.loans);
    }
    return { size: position, lastNight, anchors };
  }
  const book = lastNight === null ? activeLoans : lastNightsLoans(lastNight);
  return { size: await countBook(db, book), lastNight, anchors: null };
}

/**
 * Whether a run's chunks, in order, are consecutive ranges of ids that together cover every id once,
 * with all shards and every borrower: then each one's count is the loans of its range.
 */
function countedByIdRanges(chunks: readonly { chunk_no: number | null; id_from: string | null; id_to: string | null; shard_from: number | null; shard_to: number | null; hashed: boolean | null }[]): boolean {
  if (chunks.length === 0) return false;
  return chunks.every((chunk, k) =>
    chunk.chunk_no === k && chunk.shard_from === 0 && chunk.shard_to === SHARDS && chunk.hashed === false
    && (k === 0 ? chunk.id_from === null : chunk.id_from !== null && chunk.id_from === chunks[k - 1]!.id_to)
    && (k === chunks.length - 1 ? chunk.id_to === null : chunk.id_to !== null));
}

/**
 * How many loans a new run for `date` cuts into chunks: `measureBook`'s size.
 *
 * @example
 * defaultShardsPerChunk(await bookSize(db, '2025-07-01'));
 */
export async function bookSize(db: Kysely<Database> | Transaction<Database>, date: BusinessDate): Promise<number> {
  return (await measureBook(db, date)).size;
}

/**
 * The business date, and the run for `date` (default: the business date) if any, in one statement:
 * what end of day reads first every night (docs/benchmarks.md, s12q).
 *
 * @example
 * await businessDateAndRun(db); // { businessDate: '2025-06-30', run: undefined }
 */
export async function businessDateAndRun(db: Kysely<Database> | Transaction<Database>, date?: BusinessDate): Promise<{ businessDate: BusinessDate; run: EodRun | undefined }> {
  const row = await db
    .selectFrom('system_state as s')
    .leftJoin('eod_run as r', (join) => join.on('r.business_date', '=', date === undefined ? sql<BusinessDate>`s.business_date` : sql<BusinessDate>`cast(${date} as date)`))
    .select(['s.business_date as today', 'r.id', 'r.business_date', 'r.shards_per_chunk', 'r.chunk_count', 'r.rules_version', 'r.status'])
    .where('s.id', '=', 1)
    .executeTakeFirst();
  invariant(row !== undefined, 'the business date is not set (reference data not seeded)');
  const { today, id, business_date, shards_per_chunk, chunk_count, rules_version, status } = row;
  const run = id === null || business_date === null || shards_per_chunk === null || chunk_count === null || rules_version === null || status === null ? undefined : { id, business_date, shards_per_chunk, chunk_count, rules_version, status };
  return { businessDate: today, run };
}

/** The run for `date`, if any. */
export async function findRun(db: Kysely<Database> | Transaction<Database>, date: BusinessDate): Promise<EodRun | undefined> {
  return db
    .selectFrom('eod_run')
    .select(['id', 'business_date', 'shards_per_chunk', 'chunk_count', 'rules_version', 'status'])
    .where('business_date', '=', date)
    .executeTakeFirst();
}

/**
 * Claims the lowest pending chunk (or one whose lease expired) for `worker`; undefined when none
 * is claimable. A racing worker that lost the row re-evaluates the condition, finds the chunk
 * claimed, and updates nothing; the caller simply asks again.
 *
 * The claim commits without waiting for the WAL flush (`synchronous_commit` off for its own
 * transaction, set by its RETURNING, which runs only when a chunk is claimed): a claim a crash loses
 * leaves the chunk pending, claimable again at once, and never a chunk done twice (its work and its
 * `done` mark commit together, in the chunk's transaction). Waiting for the flush behind the other
 * worker's chunk, whose WAL fills the disk, cost a night 0.6 s of statement time in 66 claims
 * (docs/benchmarks.md, "Session 22 (lead)").
 */
export async function claimChunk(db: Kysely<Database>, runId: string, worker: string, leaseSeconds: number): Promise<ClaimedChunk | undefined> {
  // Its own transaction: in a caller's, the setting below would make the caller's commit asynchronous too.
  invariant(!db.isTransaction, 'a chunk is claimed in a transaction of its own');
  const claimable = sql`(status = 'pending' or (status = 'claimed' and claimed_at < now() - ${leaseSeconds} * interval '1 second'))`;
  const result = await sql<{ chunk_no: number; shard_from: number; shard_to: number; id_from: string | null; id_to: string | null; borrower_hash_min: number | null; borrower_hash_max: number | null }>`
    update eod_chunk set status = 'claimed', claimed_by = ${worker}, claimed_at = now()
    where run_id = ${runId} and ${claimable}
      and chunk_no = (select chunk_no from eod_chunk where run_id = ${runId} and ${claimable} order by chunk_no limit 1)
    returning chunk_no, shard_from, shard_to, id_from, id_to, borrower_hash_min, borrower_hash_max,
      ${asynchronousCommitSql()} as asynchronous`.execute(db);
  const row = result.rows[0];
  if (row === undefined) return undefined;
  const borrowers = row.borrower_hash_min === null || row.borrower_hash_max === null ? null : { min: row.borrower_hash_min, max: row.borrower_hash_max };
  return { chunkNo: row.chunk_no, shardFrom: row.shard_from, shardTo: row.shard_to, idFrom: row.id_from, idTo: row.id_to, borrowers };
}

/**
 * In the chunk's transaction, before its work: locks the chunk and checks `worker` still holds it
 * (its lease may have expired and another worker taken it over). False means: do nothing.
 */
export async function holdsClaim(trx: Transaction<Database>, runId: string, chunkNo: number, worker: string): Promise<boolean> {
  const row = await trx
    .selectFrom('eod_chunk')
    .select(['status', 'claimed_by'])
    .where('run_id', '=', runId)
    .where('chunk_no', '=', chunkNo)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined && row.status === 'claimed' && row.claimed_by === worker;
}

/**
 * Marks the chunk done and adds its totals and the borrowers of the loans it closed non-performing
 * (`npl_borrowers`, migration 0079), in the chunk's transaction. Added, not set: a chunk
 * processed again (after a lost lease) finds its loans already done and adds zeros.
 */
export async function markChunkDone(trx: Transaction<Database>, runId: string, chunkNo: number, totals: { loans: number; interest: Minor; penalty: Minor; nonPerformingBorrowers: readonly string[] }): Promise<void> {
  const result = await trx
    .updateTable('eod_chunk')
    .set((eb) => ({
      status: 'done',
      done_at: new Date(),
      loans: eb('loans', '+', totals.loans),
      interest: eb('interest', '+', totals.interest),
      penalty: eb('penalty', '+', totals.penalty),
      // One text parameter, not a parameter per borrower (a chunk of a million-loan book has ~1,500).
      npl_borrowers: sql<string[]>`coalesce(npl_borrowers, '{}') || cast(string_to_array(${totals.nonPerformingBorrowers.join(',')}, ',') as uuid[])`,
    }))
    .where('run_id', '=', runId)
    .where('chunk_no', '=', chunkNo)
    .executeTakeFirst();
  invariant(result.numUpdatedRows === 1n, `eod chunk ${chunkNo} missing`);
}

/** Chunks of the run by status. */
export async function chunkProgress(db: Kysely<Database> | Transaction<Database>, runId: string): Promise<{ done: number; total: number }> {
  const row = await db
    .selectFrom('eod_chunk')
    .select([sql<bigint>`count(*)`.as('total'), sql<bigint>`cast(sum(case when status = 'done' then 1 else 0 end) as bigint)`.as('done')])
    .where('run_id', '=', runId)
    .executeTakeFirstOrThrow();
  return { done: Number(row.done ?? 0n), total: Number(row.total) };
}

/** The run's totals, summed over its chunks. */
export async function runTotals(db: Kysely<Database> | Transaction<Database>, runId: string): Promise<{ loans: number; interest: Minor; penalty: Minor }> {
  const row = await db
    .selectFrom('eod_chunk')
    .select([
      sql<bigint>`cast(coalesce(sum(loans), 0) as bigint)`.as('loans'),
      sql<Minor>`cast(coalesce(sum(interest), 0) as bigint)`.as('interest'),
      sql<Minor>`cast(coalesce(sum(penalty), 0) as bigint)`.as('penalty'),
    ])
    .where('run_id', '=', runId)
    .executeTakeFirstOrThrow();
  return { loans: Number(row.loans), interest: row.interest, penalty: row.penalty };
}

/** A chunk claimed by a worker and not done: its worker is working, or died. */
export interface HeldChunk {
  readonly chunkNo: number;
  readonly claimedBy: string;
  readonly claimedAt: Date;
  /** Seconds until another worker may take it over; 0 when the lease has run out. */
  readonly leaseLeftSeconds: number;
}

/** The run's chunks held by workers other than `except` (this process's). */
export async function heldChunks(db: Kysely<Database> | Transaction<Database>, runId: string, leaseSeconds: number, exceptPrefix: string): Promise<HeldChunk[]> {
  const rows = await sql<{ chunk_no: number; claimed_by: string; claimed_at: Date; left: number | string }>`
    select chunk_no, claimed_by, claimed_at,
      greatest(0, cast(ceil(extract(epoch from (claimed_at + ${leaseSeconds} * interval '1 second' - now()))) as integer)) as left
    from eod_chunk
    where run_id = ${runId} and status = 'claimed' and claimed_by not like ${`${exceptPrefix}%`}
    order by chunk_no`.execute(db);
  return rows.rows.map((row) => ({ chunkNo: row.chunk_no, claimedBy: row.claimed_by, claimedAt: new Date(row.claimed_at), leaseLeftSeconds: Number(row.left) }));
}

/**
 * Releases every claim on the run's unfinished chunks, so they can be claimed at once: for a
 * worker known to be dead (`sprout eod run --take-over`). Safe even if it was alive after all: its
 * chunk transaction checks its claim under the chunk's lock (holdsClaim) and does nothing, and no
 * loan is processed twice for a night either way (`last_eod_on < D`).
 */
export async function releaseClaims(db: Kysely<Database> | Transaction<Database>, runId: string): Promise<number> {
  const result = await db
    .updateTable('eod_chunk')
    .set({ status: 'pending', claimed_by: null, claimed_at: null })
    .where('run_id', '=', runId)
    .where('status', '=', 'claimed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
