/**
 * Writes the two PGlite dumps a test run starts from, once per run:
 * `node --import tsx test/support/make-pglite-template.ts <template file> <data-dir file>`.
 * `scripts/run-tests.js` runs it and hands the files to the tests:
 * - the template (`SPROUT_TEST_PGLITE_TEMPLATE`): the migrated, seeded schema every database test
 *   process loads (test/support/template.ts), with the demo users' fixture snapshotted beside it
 *   and a spare copy of both for after a test that changes the template's schema;
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
import { TEST_SCRYPT_COST, useScryptCostForTests } from '../../src/auth/password.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { kyselyOverPglite, openPglite } from '../../src/db/pglite-backend.js';
import { demoUsers } from './demo-users-fixture.js';
import { addPgliteSpareTemplate, buildPgliteTemplate, PGLITE_TEMPLATE_SCHEMA, snapshotPgliteFixture } from './template.js';

// The demo users' hashes at the tests' cost, as a test process would write them (test/support/backends.ts).
useScryptCostForTests(TEST_SCRYPT_COST);

const [templateFile, dataDirFile] = process.argv.slice(2);
if (!templateFile) throw new Error('usage: make-pglite-template.ts <template file> [<data-dir file>]');
const instance = await openPglite('memory://', { initDbStartParams: ['--wal-segsize=1', '--set=max_wal_size=1GB'] });
// Nothing in Sprout or its tests creates a database, so initdb's two template databases (7.4 MB
// each, two fifths of either dump) go: every test process and CLI place unpacks less.
for (const name of ['template0', 'template1']) {
  await instance.exec(`alter database ${name} is_template false`);
  await instance.exec(`drop database ${name}`);
}
await buildPgliteTemplate(instance);
await snapshotPgliteFixture(instance, demoUsers());
await addPgliteSpareTemplate(instance);
writeFileSync(templateFile, Buffer.from(await (await instance.dumpDataDir('none')).arrayBuffer()));
if (dataDirFile) {
  await migrateToLatest(kyselyOverPglite(instance));
  const { rows } = await instance.query<{ name: string }>(`select nspname as name from pg_namespace where left(nspname, length($1)) = $1`, [PGLITE_TEMPLATE_SCHEMA]);
  await instance.exec(`${rows.map(({ name }) => `drop schema "${name}" cascade; `).join('')}checkpoint`);
  // Started once more before it is dumped: a start after the drops rebuilds the catalog cache's
  // files and a checkpoint removes the dropped tables' files, which every CLI place's first open
  // did otherwise (≈ 0.27 s of CPU each; docs/benchmarks.md, s12r).
  const restarted = await openPglite('memory://', { loadDataDir: await instance.dumpDataDir('none') });
  await restarted.exec('checkpoint');
  writeFileSync(dataDirFile, Buffer.from(await (await restarted.dumpDataDir('none')).arrayBuffer()));
  await restarted.close();
}
await instance.close();
