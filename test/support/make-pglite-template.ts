/**
 * Writes the two PGlite dumps a test run starts from, once per run:
 * `node --import tsx test/support/make-pglite-template.ts <template file> <data-dir file>`.
 * `scripts/run-tests.js` runs it and hands the files to the tests:
 * - the template (`SPROUT_TEST_PGLITE_TEMPLATE`): the migrated, seeded schema every database test
 *   process loads (test/support/template.ts);
 * - a data directory (`SPROUT_TEST_PGLITE_DATA_DIR`): the same cluster with the public schema
 *   migrated as `openDatabase` leaves a new `./data` before seeding it, unpacked by tests that run
 *   `sprout` on a directory of their own (test/support/data-dir.ts).
 *
 * The data directory is unpacked for every CLI test's database, so it is kept small and ready to
 * open (docs/benchmarks.md, s12l): the cluster has 1 MB WAL segments (initdb's --wal-segsize; 16 MB
 * is the default, and a segment is written whole), the template's schemas are dropped from it, and
 * it is checkpointed before the dump, so a first open replays nothing (it replayed every migration:
 * 0.9 s of CPU against 0.5 s). max_wal_size stays PostgreSQL's 1 GB, which initdb would otherwise
 * scale down with the segments: tests checkpoint as often as before.
 */
import { writeFileSync } from 'node:fs';
import { migrateToLatest } from '../../src/db/migrate.js';
import { kyselyOverPglite, openPglite } from '../../src/db/pglite-backend.js';
import { buildPgliteTemplate, PGLITE_TEMPLATE_SCHEMA } from './template.js';

const [templateFile, dataDirFile] = process.argv.slice(2);
if (!templateFile) throw new Error('usage: make-pglite-template.ts <template file> [<data-dir file>]');
const instance = await openPglite('memory://', { initDbStartParams: ['--wal-segsize=1', '--set=max_wal_size=1GB'] });
await buildPgliteTemplate(instance);
writeFileSync(templateFile, Buffer.from(await (await instance.dumpDataDir('none')).arrayBuffer()));
if (dataDirFile) {
  await migrateToLatest(kyselyOverPglite(instance));
  await instance.exec(`drop schema "${PGLITE_TEMPLATE_SCHEMA}" cascade; drop schema "${PGLITE_TEMPLATE_SCHEMA}_seed" cascade; checkpoint`);
  writeFileSync(dataDirFile, Buffer.from(await (await instance.dumpDataDir('none')).arrayBuffer()));
}
await instance.close();
