import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BusinessDate } from '../../src/calendar/index.js';
import { csvProvider, sourceCsv } from '../../src/data/csv-provider.js';
import type { DataRecord } from '../../src/data/data-records.js';
import { simulatedCreditCode, simulatedFirm } from '../../src/data/simulated-firm.js';
import { simulatedProvider } from '../../src/data/simulated-provider.js';
import { registryIdentityCheck, simulatedIdentityCheck } from '../../src/identity/identity-check.js';
import { identityCheckConformance } from './identity-check-conformance.js';

const ASOF = '2025-06-30' as BusinessDate;
const SEED = 7;
const CODE = simulatedCreditCode(SEED, 3);
const FIRM = simulatedFirm(CODE, SEED);

identityCheckConformance('simulated registry', async () => ({ check: simulatedIdentityCheck({ seed: SEED }), creditCode: CODE, representative: FIRM.owner, asOf: ASOF }));

/** The registry file a bank would send, written from the simulation, with a later change of representative for a second firm. */
async function registryCsv(): Promise<string> {
  const rows: { creditCode: string; record: DataRecord }[] = [];
  for (const record of await simulatedProvider({ seed: SEED }).fetch({ subject: { creditCode: CODE }, source: 'registration', asOf: ASOF, months: 36 })) rows.push({ creditCode: CODE, record });
  return sourceCsv('registration', rows);
}

identityCheckConformance('CSV registry', async () => ({ check: registryIdentityCheck(csvProvider({ files: { registration: await registryCsv() } })), creditCode: CODE, representative: FIRM.owner, asOf: ASOF }));

describe('registry identity check', () => {
  it('the simulated firm has its owner registered as legal representative since registration', async () => {
    const records = await simulatedProvider({ seed: SEED }).fetch({ subject: { creditCode: CODE }, source: 'registration', asOf: ASOF, months: 12 });
    const appointments = records.filter((record) => record.kind === 'legal-representative');
    assert.deepEqual(appointments, [{ source: 'registration', kind: 'legal-representative', date: FIRM.registeredOn, name: FIRM.owner.name, idNumber: FIRM.owner.idNumber }]);
  });

  it('a firm the registry file does not hold is a mismatch, no-registry-record', async () => {
    const check = registryIdentityCheck(csvProvider({ files: { registration: await registryCsv() } }));
    const other = simulatedCreditCode(SEED, 4);
    assert.deepEqual(await check.verify({ creditCode: other, ...FIRM.owner }, ASOF), { outcome: 'mismatch', reason: 'no-registry-record' });
  });

  it('after a change of representative only the new one is verified', async () => {
    const successor = simulatedFirm(simulatedCreditCode(SEED, 5), SEED).owner;
    const text = (await registryCsv()) + `${CODE},legal-representative,2025-03-01,,,,,${successor.name},${successor.idNumber}\n`;
    const check = registryIdentityCheck(csvProvider({ files: { registration: text } }));
    assert.equal((await check.verify({ creditCode: CODE, ...successor }, ASOF)).outcome, 'verified');
    assert.deepEqual(await check.verify({ creditCode: CODE, ...FIRM.owner }, ASOF), { outcome: 'mismatch', reason: 'not-the-representative' });
    assert.equal((await check.verify({ creditCode: CODE, ...FIRM.owner }, '2025-02-28' as BusinessDate)).outcome, 'verified', 'before the change, the old one');
  });

  it('a registry extract written before the name and id_number columns still loads', () => {
    const old = 'credit_code,kind,date,item,authority,reason,amount\n' + `${CODE},registration-change,2025-01-05,address,,,\n`;
    assert.doesNotThrow(() => csvProvider({ files: { registration: old } }));
  });
});
