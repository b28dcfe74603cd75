/**
 * Rows sent as one array parameter per column (src/db/unnest-rows.ts) arrive as the same rows a
 * multi-row VALUES insert writes, on both backends: nulls, zero, the largest amounts, negative
 * ones, dates, timestamps, booleans, JSON and text with every character an array literal gives a
 * meaning to.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { anyOf, unnestRows } from '../../src/db/unnest-rows.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';

const COLUMNS = {
  id: 'uuid',
  amount: 'bigint',
  n: 'integer',
  small: 'smallint',
  label: 'text',
  day: 'date',
  at: 'timestamptz',
  flag: 'boolean',
  doc: 'jsonb',
} as const;

const INT8_MAX = 2n ** 63n - 1n;
const AT = new Date('2025-06-30T23:59:59.123Z');

/** One row per edge: every column null, zeros, 10^11 fen and int8's bounds, a date, awkward text. */
const ROWS = [
  { id: '0190a000-0000-7000-8000-000000000001', amount: null, n: null, small: null, label: null, day: null, at: null, flag: null, doc: null },
  { id: '0190a000-0000-7000-8000-000000000002', amount: 0n, n: 0, small: 0, label: '', day: '2025-06-30', at: AT, flag: false, doc: '{}' },
  { id: '0190a000-0000-7000-8000-000000000003', amount: 100_000_000_000n, n: 2_147_483_647, small: 32_767, label: 'NULL', day: '2025-12-31', at: AT, flag: true, doc: '{"amount":"1000000000.00"}' },
  { id: '0190a000-0000-7000-8000-000000000004', amount: INT8_MAX, n: -2_147_483_648, small: -32_768, label: 'a,b {c} "d" \\e\\ ', day: '2000-02-29', at: new Date(0), flag: true, doc: '{"say":"\\"hi\\", \\\\ {x}"}' },
  { id: '0190a000-0000-7000-8000-000000000005', amount: -INT8_MAX - 1n, n: 7, small: 1, label: '借款企业 一\n\t"😀"', day: '2025-06-30', at: AT, flag: false, doc: '[1,null,"NULL","line\\nbreak"]' },
];

async function table(db: Kysely<never>, name: string): Promise<void> {
  await sql`create table ${sql.table(name)} (id uuid primary key, amount bigint, n integer, small smallint, label text, day date, at timestamptz, flag boolean, doc jsonb)`.execute(db);
}

async function read(db: Kysely<never>, name: string): Promise<unknown[]> {
  const { rows } = await sql`select * from ${sql.table(name)} order by id`.execute(db);
  return rows;
}

for (const backend of BACKENDS) {
  describe(`rows as one array per column on ${backend}`, () => {
    it('an insert from unnestRows writes the rows a VALUES insert writes: nulls, zero, 10^11 fen, int8 bounds, dates, quotes', async () => {
      await withTestDatabase(backend, async ({ db: typed }) => {
        const db = typed as unknown as Kysely<never>;
        await table(db, 'from_values');
        await table(db, 'from_arrays');
        const values = sql.join(ROWS.map((row) => sql`(cast(${row.id} as uuid), cast(${row.amount} as bigint), cast(${row.n} as integer), cast(${row.small} as smallint), cast(${row.label} as text), cast(${row.day} as date), cast(${row.at} as timestamptz), cast(${row.flag} as boolean), cast(${row.doc} as jsonb))`));
        await sql`insert into from_values select * from (values ${values}) as v(id, amount, n, small, label, day, at, flag, doc)`.execute(db);
        await sql`insert into from_arrays select * from ${unnestRows(COLUMNS, ROWS)}`.execute(db);
        const written = await read(db, 'from_arrays');
        assert.deepEqual(written, await read(db, 'from_values'));
        // Not merely equal: the values themselves, as the backends' parsers give them.
        const [nulls, zeros, large, bounds] = written as Record<string, unknown>[];
        assert.deepEqual(Object.values(nulls!).slice(1), [null, null, null, null, null, null, null, null]);
        assert.deepEqual([zeros!.amount, zeros!.n, zeros!.label, zeros!.day, zeros!.flag, zeros!.doc], [0n, 0, '', '2025-06-30', false, {}]);
        assert.equal(large!.amount, 100_000_000_000n);
        assert.equal(large!.label, 'NULL');
        assert.equal((large!.at as Date).toISOString(), AT.toISOString());
        assert.equal(bounds!.amount, INT8_MAX);
        assert.equal(bounds!.label, 'a,b {c} "d" \\e\\ ');
        assert.deepEqual(bounds!.doc, { say: '"hi", \\ {x}' });
        // A control character or a surrogate pair (the slower escaping, src/db/unnest-rows.ts) arrives as it was.
        assert.equal((written[4] as Record<string, unknown>).amount, -INT8_MAX - 1n);
        assert.equal((written[4] as Record<string, unknown>).label, '借款企业 一\n\t"😀"');
        assert.deepEqual((written[4] as Record<string, unknown>).doc, [1, null, 'NULL', 'line\nbreak']);
      });
    });

    it('an update from unnestRows changes each row by its key, and anyOf finds the rows of a list', async () => {
      await withTestDatabase(backend, async ({ db: typed }) => {
        const db = typed as unknown as Kysely<never>;
        await table(db, 'book');
        await sql`insert into book select * from ${unnestRows(COLUMNS, ROWS)}`.execute(db);
        const changes = [
          { id: ROWS[1]!.id, amount: 100_000_000_000n, day: null },
          { id: ROWS[2]!.id, amount: 0n, day: '2026-01-01' },
        ];
        const result = await sql`update book set amount = v.amount, day = v.day from ${unnestRows({ id: 'uuid', amount: 'bigint', day: 'date' }, changes)} where book.id = v.id`.execute(db);
        assert.equal(result.numAffectedRows, 2n);
        const { rows } = await sql<{ id: string; amount: bigint; day: string | null }>`select id, amount, day from book where id = ${anyOf([ROWS[1]!.id, ROWS[2]!.id, ROWS[4]!.id], 'uuid')} order by id`.execute(db);
        assert.deepEqual(rows, [
          { id: ROWS[1]!.id, amount: 100_000_000_000n, day: null },
          { id: ROWS[2]!.id, amount: 0n, day: '2026-01-01' },
          { id: ROWS[4]!.id, amount: -INT8_MAX - 1n, day: '2025-06-30' },
        ]);
        // A string is always one element: a comma or a quote in it cannot add a row nor end it early.
        await assert.rejects(sql`select * from book where id = ${anyOf(['0190a000-0000-7000-8000-000000000001","0190a000-0000-7000-8000-000000000002'], 'uuid')}`.execute(db), /uuid/);
      });
    });
  });
}
