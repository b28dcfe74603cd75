/**
 * The app's pages and who sees them. The server decides what each role may read; this only
 * decides which pages to offer.
 */
import type { Role } from './api';

export type Page = '/dashboard' | '/loans' | '/apply' | '/review';

/** Roles that see the management dashboard (GET /v1/reports/portfolio allows exactly these). */
const DASHBOARD_ROLES: readonly Role[] = ['management', 'admin', 'risk-officer', 'auditor'];

/** The pages offered to `role`, the first being where it lands after login. */
export function pagesFor(role: Role): readonly Page[] {
  const pages: Page[] = [];
  if (DASHBOARD_ROLES.includes(role)) pages.push('/dashboard');
  if (role !== 'core-enterprise') pages.push('/loans');
  // Places kept for the flows that come with the decision engine.
  if (role === 'borrower') pages.push('/apply');
  if (role === 'credit-approver' || role === 'risk-officer' || role === 'admin') pages.push('/review');
  return pages;
}

export function isPage(path: string): path is Page {
  return path === '/dashboard' || path === '/loans' || path === '/apply' || path === '/review';
}
