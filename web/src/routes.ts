/**
 * The app's pages and who sees them. The server decides what each role may read; this only
 * decides which pages to offer.
 */
import type { Role } from './api';

export const PAGES = ['/dashboard', '/ecology', '/review', '/enterprises', '/prospects', '/loans', '/apply', '/borrow'] as const;
export type Page = (typeof PAGES)[number];

/** Roles that see the management dashboard (GET /v1/reports/portfolio allows exactly these). */
const DASHBOARD_ROLES: readonly Role[] = ['management', 'admin', 'risk-officer', 'auditor'];
/** Roles that review applications (POST /v1/applications/:id/review). */
export const REVIEWERS: readonly Role[] = ['credit-approver', 'risk-officer', 'admin'];
/**
 * Roles that read applications and their decision records (GET /v1/book/applications and
 * GET /v1/applications/:id): the reviewers, and read-only the account manager (whose pipeline it is)
 * and the auditor.
 */
const APPLICATION_READERS: readonly Role[] = [...REVIEWERS, 'account-manager', 'auditor'];
/** Staff who look at an enterprise whole (GET /v1/enterprises/:id/history). */
const ENTERPRISE_VIEWERS: readonly Role[] = ['account-manager', 'credit-approver', 'risk-officer', 'admin', 'auditor'];

/** The pages offered to `role`, the first being where it lands after login. */
export function pagesFor(role: Role): readonly Page[] {
  // The borrower portal: the enterprise and its application, then borrowing and repaying.
  if (role === 'borrower') return ['/apply', '/borrow'];
  const pages: Page[] = [];
  // The ecology index (GET /v1/ecology/*) is read by the same roles as the dashboard.
  if (DASHBOARD_ROLES.includes(role)) pages.push('/dashboard', '/ecology');
  if (REVIEWERS.includes(role)) pages.push('/review');
  if (ENTERPRISE_VIEWERS.includes(role)) pages.push('/enterprises');
  // Read-only readers of applications land on their own work first (the firms, the dashboard).
  if (APPLICATION_READERS.includes(role) && !REVIEWERS.includes(role)) pages.push('/review');
  if (role === 'account-manager' || role === 'admin') pages.push('/prospects');
  if (role !== 'core-enterprise') pages.push('/loans');
  return pages;
}

export function isPage(path: string): path is Page {
  return (PAGES as readonly string[]).includes(path);
}
