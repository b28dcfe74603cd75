/**
 * Masking personal data (个人信息) for roles that do not need it in full (个人信息保护法: the
 * minimum necessary). Masked values keep enough to recognise a record, never enough to use it.
 */

/**
 * A resident ID number (18 characters): region code kept, birth date and sequence hidden.
 *
 * @example
 * maskIdNumber('110101199003071234'); // '110101********1234'
 */
export function maskIdNumber(id: string): string {
  if (id.length <= 8) return '*'.repeat(id.length);
  return `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
}

/**
 * A mobile number: the carrier prefix and the last four digits.
 *
 * @example
 * maskPhone('13812345678'); // '138****5678'
 */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\s/g, '');
  if (digits.length < 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}

/**
 * A person's name: the family name kept (张**).
 *
 * @example
 * maskName('张小明'); // '张**'
 */
export function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}
