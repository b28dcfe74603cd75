/**
 * The conformance suite every `IdentityCheck` must pass (as `provider-conformance.ts` is for data
 * providers): call `identityCheckConformance(name, factory)` from a test file. The factory gives a
 * check, an enterprise it knows, and that enterprise's registered legal representative.
 *
 * @example
 * identityCheckConformance('simulated', async () => ({ check: simulatedIdentityCheck({ seed: 7 }), creditCode, representative, asOf }));
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BusinessDate } from '../../src/calendar/index.js';
import { residentIdCheckCharacter } from '../../src/enterprises/resident-id.js';
import type { IdentityCheck } from '../../src/identity/identity-check.js';

export interface IdentityFixture {
  readonly check: IdentityCheck;
  /** An enterprise whose registry record the check can read. */
  readonly creditCode: string;
  /** Its registered legal representative on `asOf`. */
  readonly representative: { readonly name: string; readonly idNumber: string };
  readonly asOf: BusinessDate;
}

/** Another valid ID number: the same person's born a day later (check character recomputed). */
function anotherIdNumber(idNumber: string): string {
  const day = Number(idNumber.slice(12, 14));
  const body = idNumber.slice(0, 12) + String(day === 28 ? 27 : day + 1).padStart(2, '0') + idNumber.slice(14, 17);
  return body + residentIdCheckCharacter(body);
}

export function identityCheckConformance(name: string, factory: () => Promise<IdentityFixture>): void {
  describe(`IdentityCheck conformance: ${name}`, () => {
    it('names itself', async () => {
      const { check } = await factory();
      assert.ok(check.name.length > 0);
    });

    it('verifies the registered legal representative, with a reference that holds neither the name nor the ID number', async () => {
      const { check, creditCode, representative, asOf } = await factory();
      const result = await check.verify({ creditCode, ...representative }, asOf);
      assert.equal(result.outcome, 'verified');
      if (result.outcome !== 'verified') return;
      assert.ok(result.reference.length > 0 && result.reference.length <= 200);
      assert.equal(result.reference.includes(representative.idNumber), false);
      assert.equal(result.reference.includes(representative.name), false);
      assert.deepEqual(await check.verify({ creditCode, ...representative }, asOf), result, 'deterministic');
    });

    it('accepts the forms a person types: a lower-case x, spaces around and inside the name', async () => {
      const { check, creditCode, representative, asOf } = await factory();
      const spaced = ` ${[...representative.name].join(' ')} `;
      const result = await check.verify({ creditCode, name: spaced, idNumber: representative.idNumber.toLowerCase() }, asOf);
      assert.equal(result.outcome, 'verified');
    });

    it('answers a mismatch, not an error, for the right name with another ID number and for another name with the right ID number', async () => {
      const { check, creditCode, representative, asOf } = await factory();
      assert.deepEqual(await check.verify({ creditCode, name: representative.name, idNumber: anotherIdNumber(representative.idNumber) }, asOf), { outcome: 'mismatch', reason: 'not-the-representative' });
      assert.deepEqual(await check.verify({ creditCode, name: `${representative.name}某`, idNumber: representative.idNumber }, asOf), { outcome: 'mismatch', reason: 'not-the-representative' });
    });

    it('refuses a malformed claim with a VALIDATION error naming the field', async () => {
      const { check, creditCode, representative, asOf } = await factory();
      const badId = representative.idNumber.slice(0, 17) + (representative.idNumber[17] === '0' ? '1' : '0');
      await assert.rejects(check.verify({ creditCode, name: representative.name, idNumber: badId }, asOf), { code: 'VALIDATION', field: 'idNumber' });
      const badCode = creditCode.slice(0, 17) + (creditCode[17] === '0' ? '1' : '0');
      await assert.rejects(check.verify({ creditCode: badCode, ...representative }, asOf), { code: 'VALIDATION', field: 'creditCode' });
      await assert.rejects(check.verify({ creditCode, name: '   ', idNumber: representative.idNumber }, asOf), { code: 'VALIDATION', field: 'name' });
    });
  });
}
