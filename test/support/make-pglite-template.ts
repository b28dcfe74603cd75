/**
 * Writes the two PGlite dumps a test run starts from, once per run:
 * `node --import tsx test/support/make-pglite-template.ts <template file> <data-dir file>`.
 * `scripts/run-tests.js` runs it and hands the files to the tests:
 * - the template (`SPROUT_TEST_PGLITE_TEMPLATE`): the migrated, seeded schema every database test
 *   process loads (test/support/template.ts);
 * - a data directory (`SPROUT_TEST_PGLITE_DATA_DIR`): the same cluster with the public schema
 *   migrated as `openDatabase` leaves a new `./data` before seeding it, unpacked by tests that run
 *   `sprout` on a directory of their own (test/support/data-dir.ts).
 */
import { writeFileSync } from 'node:fs';
import { migrateToLatest } from '../../src/db/migrate.js';
import { kyselyOverPglite, openPglite } from '../../src/db/pglite-backend.js';
import { buildPgliteTemplate } from './template.js';

const [templateFile, dataDirFile] = process.argv.slice(2);
if (!templateFile) throw new Error('usage: make-pglite-template.ts <template file> [<data-dir file>]');
const instance = await openPglite('memory://');
await buildPgliteTemplate(instance);
writeFileSync(templateFile, Buffer.from(await (await instance.dumpDataDir('none')).arrayBuffer()));
if (dataDirFile) {
  await migrateToLatest(kyselyOverPglite(instance));
  writeFileSync(dataDirFile, Buffer.from(await (await instance.dumpDataDir('none')).arrayBuffer()));
}
await instance.close();
