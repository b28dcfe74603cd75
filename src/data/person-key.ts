/**
 * How a natural person is named to a data provider: not by the resident ID number but by its
 * SHA-256 digest under a fixed label (the person key), 64 lower-case hex characters. A court
 * lookup for a personal guarantor (`DataProvider.personCourts`) sends only this key, so the number
 * itself is in no request, log or extract file; a bank's CSV extract of persons' court records
 * (`person-courts.csv`) is keyed the same way (`sprout`'s `personKey` computes it).
 *
 * This is pseudonymisation (个人信息保护法 art. 73: 去标识化), not anonymisation: ID numbers are few
 * enough (region, birth date, a 3-digit sequence) that anyone holding the key could search them, so
 * keys are personal data too and are kept like the number.
 *
 * @example
 * personKey('11010519491231002X'); // '6a1f…' (64 hex characters, the same every time)
 */
import { createHash } from 'node:crypto';
import { parseResidentIdNumber } from '../enterprises/resident-id.js';
import { ValidationError } from '../errors.js';

/** The label hashed with the number; a new label (a new key scheme) would be `…-v2`. */
const PERSON_KEY_LABEL = 'sprout-person-court-v1|';

/** A person key: the SHA-256 of the label and a valid resident ID number, lower-case hex. */
export type PersonKey = string & { readonly __brand: 'PersonKey' };

/** The key of a resident ID number (validated first: a bad number is a `VALIDATION` error on `field`). */
export function personKey(idNumber: string, field = 'idNumber'): PersonKey {
  const id = parseResidentIdNumber(idNumber, field);
  return createHash('sha256').update(PERSON_KEY_LABEL + id).digest('hex') as PersonKey;
}

/**
 * A person key as text: 64 lower-case hex characters.
 *
 * @example
 * parsePersonKey('ABC', 'personKey'); // throws ValidationError on personKey
 */
export function parsePersonKey(text: string, field = 'personKey'): PersonKey {
  if (typeof text !== 'string' || !/^[0-9a-f]{64}$/.test(text.trim())) throw new ValidationError(field, 'must be a person key: 64 lower-case hex characters (the SHA-256 of the resident ID number)');
  return text.trim() as PersonKey;
}
