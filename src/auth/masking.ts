/**
 * Masking personal data (个人信息) for roles that do not need it in full (个人信息保护法: the
 * minimum necessary). Masked values keep enough to recognise a record, never enough to use it.
 */
import type { Role } from './roles.js';

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
 * A bank account number: only the last four digits (银行账号仅显示后四位), everywhere it is shown.
 *
 * @example
 * maskAccountNo('6222020200001234567'); // '****4567'
 */
export function maskAccountNo(accountNo: string): string {
  return `****${accountNo.slice(-4)}`;
}

/**
 * A JSON value with every `accountNo` string masked to its last four digits, at any depth: what an
 * approval request or an audit record holds is shown only masked, to every role.
 *
 * @example
 * maskAccountNumbers({ lineId: 'l', accountNo: '6222021209000055667' }); // { lineId: 'l', accountNo: '****5667' }
 */
export function maskAccountNumbers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskAccountNumbers);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, typeof child === 'string' && key === 'accountNo' ? maskAccountNo(child) : maskAccountNumbers(child)]));
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

/** Roles that need owners' ID numbers and phones whole (admin, risk officer); everyone else sees them masked. */
export const SEES_PERSONAL_DATA: readonly Role[] = ['admin', 'risk-officer'];

/** `value` as `role` may see it: whole for the roles in {@link SEES_PERSONAL_DATA}, else with ID numbers and phones masked. */
export function personalDataFor(role: Role, value: unknown): unknown {
  return SEES_PERSONAL_DATA.includes(role) ? value : maskPersonalData(value);
}

/**
 * A JSON value (an audit record's before or after) with every `idNumber` and `phone` string masked,
 * at any depth: what the audit trail holds is shown to roles that do not need it only masked.
 *
 * @example
 * maskPersonalData({ owners: [{ name: '王芳', idNumber: '110101199003071234' }] });
 * // { owners: [{ name: '王芳', idNumber: '110101********1234' }] }
 */
export function maskPersonalData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskPersonalData);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => {
      if (typeof child === 'string' && key === 'idNumber') return [key, maskIdNumber(child)];
      if (typeof child === 'string' && key === 'phone') return [key, maskPhone(child)];
      if (typeof child === 'string' && key === 'accountNo') return [key, maskAccountNo(child)];
      return [key, maskPersonalData(child)];
    }),
  );
}
