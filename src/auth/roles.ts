/**
 * The roles of Sprout's users (SPEC "Who uses it"). A route names the roles that may call it.
 */

/**
 * Every role. `collector` (催收员) works overdue loans assigned to it (src/collections/): it reads
 * the collections worklist and the loans and firms behind it, logs contacts, records promises
 * and legal steps, and moves no money. The order is the order they are listed in docs and demo logins. */
export const ROLES = [
  'borrower',
  'account-manager',
  'credit-approver',
  'risk-officer',
  'collector',
  'core-enterprise',
  'management',
  'operator',
  'auditor',
  'admin',
] as const;

export type Role = (typeof ROLES)[number];

/** Staff roles: everyone but borrowers and core enterprises, who see only their own business. */
export const STAFF_ROLES: readonly Role[] = ['account-manager', 'credit-approver', 'risk-officer', 'collector', 'management', 'operator', 'auditor', 'admin'];

/** True when `text` names a role. */
export function isRole(text: string): text is Role {
  return (ROLES as readonly string[]).includes(text);
}
