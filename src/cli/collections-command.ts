/**
 * `sprout collections list [--bucket B] [--collector NAME|none] [--limit N] [--format table|json]`:
 * the collections worklist (src/collections/collection-worklist.ts), most days past due first.
 * The JSON is `{ total, buckets, items }` with amounts as decimal strings ("305.00"), the same
 * shape as `GET /v1/collections/worklist`.
 */
import { Command, Option } from 'commander';
import { pageRequest } from '../book/paging.js';
import { collectionWorklist, type WorklistRow } from '../collections/collection-worklist.js';
import { openCommandDatabase } from './command-database.js';
import { formatMoney } from '../money/format-money.js';
import { COLLECTION_BUCKETS, type CollectionBucket } from '../reporting/past-due.js';
import { cliIo } from './io.js';
import { runCommand } from './run-command.js';

interface ListFlags {
  bucket?: CollectionBucket;
  collector?: string;
  limit: string;
  format: 'table' | 'json';
  dataDir?: string;
}

const rowJson = (row: WorklistRow) => ({
  ...row,
  overdueAmount: formatMoney(row.overdueAmount),
  outstanding: formatMoney(row.outstanding),
  openPromise: row.openPromise === null ? null : { amount: formatMoney(row.openPromise.amount), promisedOn: row.openPromise.promisedOn },
});

export function collectionsCommand(): Command {
  const list = new Command('list')
    .description('the collections worklist: active overdue loans, most days past due first')
    .addOption(new Option('--bucket <BUCKET>', 'days past due').choices([...COLLECTION_BUCKETS]))
    .option('--collector <NAME>', "a collector's username, or none for loans nobody works")
    .option('--limit <N>', 'rows, 1 to 200', '50')
    .addOption(new Option('--format <FORMAT>', 'output format').choices(['table', 'json']).default('table'))
    .option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set')
    .action(
      runCommand(async (flags: ListFlags) => {
        const database = await openCommandDatabase(flags.dataDir);
        try {
          const collector = flags.collector === undefined ? undefined : flags.collector === 'none' ? null : flags.collector;
          const page = await collectionWorklist(database.db, { bucket: flags.bucket, collector }, pageRequest({ limit: flags.limit }));
          if (flags.format === 'json') {
            const json = { total: page.total, buckets: page.buckets.map((bucket) => ({ ...bucket, overdue: formatMoney(bucket.overdue) })), items: page.items.map(rowJson) };
            cliIo().stdout.write(`${JSON.stringify(json, null, 2)}\n`);
            return;
          }
          const lines = [
            page.buckets.map((bucket) => `${bucket.bucket}: ${bucket.loans} (${formatMoney(bucket.overdue)})`).join('  '),
            ['loan', 'dpd', 'bucket', 'overdue', 'collector', 'firm'].join('\t'),
            ...page.items.map((row) => [row.loanId, row.daysPastDue, row.bucket, formatMoney(row.overdueAmount), row.collector ?? '-', row.enterpriseName].join('\t')),
            `${page.items.length} of ${page.total}`,
          ];
          cliIo().stdout.write(`${lines.join('\n')}\n`);
        } finally {
          await database.close();
        }
      }),
    );
  return new Command('collections').description('collections (催收): the overdue worklist').addCommand(list);
}
