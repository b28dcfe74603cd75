/**
 * Identity checks (身份核验): is this person the registered legal representative (法定代表人) of
 * this enterprise? The evidence a self-registered borrower needs before it may act for a firm
 * (`bindings.ts`).
 *
 * One interface, any number of implementations, all held to `test/identity/identity-check-conformance.ts`:
 * - {@link registryIdentityCheck}: the registry record of the `registration` source of any
 *   `DataProvider` (the market regulator's 法定代表人 with name and ID number) compared with the
 *   claim. Over the simulated provider it is the demo's check (`simulatedIdentityCheck`); over a
 *   bank's CSV extract, its own registry copy.
 * - A bank's production check adds what only a live service can: the ID card verified with the
 *   public-security service (公安身份核查) and a face match (活体检测). It plugs in here, and must
 *   pass the same conformance suite.
 *
 * A check never decides who may act for a firm by itself and never writes; it answers, with a
 * reference the binding records as its evidence. The reference names no personal data.
 *
 * @example
 * const check = simulatedIdentityCheck({ seed: 2025 });
 * await check.verify({ creditCode, name: '王芳', idNumber: '330106198001011235' }, '2025-06-30');
 * // { outcome: 'verified', reference: 'registry:simulated:2025:…' } or { outcome: 'mismatch', reason: … }
 */
import { createHash } from 'node:crypto';
import { parseBusinessDate, type BusinessDate } from '../calendar/index.js';
import { parseCreditCode } from '../enterprises/credit-code.js';
import { parseResidentIdNumber } from '../enterprises/resident-id.js';
import { ValidationError } from '../errors.js';
import type { DataProvider } from '../data/data-provider.js';
import { simulatedProvider } from '../data/simulated-provider.js';

/** Who a person says they are, for which enterprise. */
export interface IdentityClaim {
  /** The enterprise's Unified Social Credit Code. */
  readonly creditCode: string;
  /** The person's name as on their ID card. */
  readonly name: string;
  /** The person's resident ID number; personal data, never logged nor put in a reference. */
  readonly idNumber: string;
}

/** Why a claim did not match: no registry record of the firm, or the record names someone else. */
export type MismatchReason = 'no-registry-record' | 'not-the-representative';

/** A check's answer. */
export type IdentityCheckResult =
  | { readonly outcome: 'verified'; readonly reference: string }
  | { readonly outcome: 'mismatch'; readonly reason: MismatchReason };

/** An identity check. */
export interface IdentityCheck {
  /** Recorded with every verification it makes ('registry:simulated:2025'). */
  readonly name: string;
  /**
   * Checks a claim as of a date. A malformed claim (a credit code or ID number that fails its
   * check character, an empty name) is a {@link ValidationError} naming the field; a well-formed
   * claim that does not match is a `mismatch` result, not an error. Deterministic.
   */
  verify(claim: IdentityClaim, asOf: BusinessDate): Promise<IdentityCheckResult>;
}

/** A claim after validation. */
export interface CheckedClaim {
  readonly creditCode: string;
  readonly name: string;
  readonly idNumber: string;
}

/**
 * Validates a claim the same way for every implementation: the credit code and ID number by their
 * check characters, the name trimmed, NFC, inner spaces removed (ID cards print none), 1–50 long.
 *
 * @example
 * checkIdentityClaim({ creditCode, name: ' 王 芳 ', idNumber: '33010619800101123x' }).name; // '王芳'
 */
export function checkIdentityClaim(claim: IdentityClaim): CheckedClaim {
  const creditCode = parseCreditCode(claim.creditCode, 'creditCode');
  const idNumber = parseResidentIdNumber(claim.idNumber, 'idNumber');
  const name = normaliseName(claim.name);
  if (name.length === 0 || name.length > 50) throw new ValidationError('name', 'must be the name on the ID card, 1 to 50 characters');
  return { creditCode, name, idNumber };
}

/** Names compare after NFC, without spaces of any kind, and case-folded (for names in Latin script). */
function normaliseName(name: string): string {
  return typeof name === 'string' ? name.normalize('NFC').replace(/[\s\u3000·•.]/g, '').toLowerCase() : '';
}

/**
 * An identity check against the registry record of `provider`'s `registration` source: the
 * latest `legal-representative` appointment on or before `asOf` must carry the claimed name and
 * ID number.
 *
 * @example
 * const check = registryIdentityCheck(await csvProviderFromDirectory('/data/extract'));
 */
export function registryIdentityCheck(provider: DataProvider): IdentityCheck {
  if (!provider.sources.includes('registration')) throw new ValidationError('provider', `${provider.name} does not deliver the registration source an identity check reads`);
  const name = `registry:${provider.name}`;
  return {
    name,
    async verify(claim: IdentityClaim, asOf: BusinessDate): Promise<IdentityCheckResult> {
      const checked = checkIdentityClaim(claim);
      const date = parseBusinessDate(asOf, 'asOf');
      const records = await provider.fetch({ subject: { creditCode: checked.creditCode }, source: 'registration', asOf: date, months: 1 });
      const appointments = records.filter((record) => record.kind === 'legal-representative');
      // Providers deliver in date order; the latest appointment is the current representative.
      const current = appointments[appointments.length - 1];
      if (current === undefined) return { outcome: 'mismatch', reason: 'no-registry-record' };
      const sameId = current.idNumber.trim().toUpperCase() === checked.idNumber;
      const sameName = normaliseName(current.name) === checked.name;
      if (!sameId || !sameName) return { outcome: 'mismatch', reason: 'not-the-representative' };
      // A digest, not the ID number: the reference is stored, audited and shown to staff.
      const digest = createHash('sha256').update(`${checked.creditCode}|${checked.idNumber}|${current.date}`).digest('hex').slice(0, 16);
      return { outcome: 'verified', reference: `${name}:${current.date}:${digest}` };
    },
  };
}

/**
 * The demo's identity check: the registry of the simulated provider of `seed`, whose firms'
 * owners are their legal representatives (`simulated-firm.ts`).
 *
 * @example
 * simulatedIdentityCheck({ seed: 2025 }).name; // 'registry:simulated:2025'
 */
export function simulatedIdentityCheck(options: { readonly seed: number }): IdentityCheck {
  return registryIdentityCheck(simulatedProvider({ seed: options.seed }));
}
