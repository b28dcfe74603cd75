/**
 * Writes the migrated, seeded PGlite database every test process starts from, as a data directory
 * dump: `node --import tsx test/support/make-pglite-template.ts <file>`. `scripts/run-tests.js`
 * runs it once per run and hands the file to the tests (`SPROUT_TEST_PGLITE_TEMPLATE`).
 */
import { writeFileSync } from 'node:fs';
import { openPglite } from '../../src/db/pglite-backend.js';
import { buildPgliteTemplate } from './template.js';

const file = process.argv[2];
if (!file) throw new Error('usage: make-pglite-template.ts <file>');
const instance = await openPglite('memory://');
await buildPgliteTemplate(instance);
const dump = await instance.dumpDataDir('none');
writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
await instance.close();
