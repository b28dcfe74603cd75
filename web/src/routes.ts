/**
 * The app's pages and who sees them. The server decides what each role may read; this only
 * decides which pages to offer.
 */
import type { Role } from './api';

export const PAGES = ['/dashboard', '/regulatory', '/ecology', '/review', '/enterprises', '/warnings', '/prospects', '/collections', '/supply-chain', '/loans', '/apply', '/borrow', '/certificates', '/core', '/operations'] as const;
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
/** Roles that read the collections worklist (GET /v1/collections/worklist). */
const COLLECTIONS_READERS: readonly Role[] = ['collector', 'account-manager', 'risk-officer', 'admin', 'management', 'auditor'];
/** Staff who look at an enterprise whole (GET /v1/enterprises/:id/history). */
const ENTERPRISE_VIEWERS: readonly Role[] = ['account-manager', 'credit-approver', 'risk-officer', 'admin', 'auditor'];
/** Staff who read supply-chain programmes, receivables and the balance by tier (GET /v1/supply-chain/programmes). */
const SUPPLY_CHAIN_READERS: readonly Role[] = ['account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'];

/** The pages offered to `role`, the first being where it lands after login. */
export function pagesFor(role: Role): readonly Page[] {
  // The borrower portal: the enterprise and its application, then borrowing and repaying.
  if (role === 'borrower') return ['/apply', '/borrow', '/certificates'];
  // The core enterprise's portal: its programme, payables to confirm, what it owes.
  if (role === 'core-enterprise') return ['/core'];
  const pages: Page[] = [];
  // The regulatory reports (GET /v1/reports/inclusive…) and the ecology index (GET /v1/ecology/*) are read by the same roles as the dashboard.
  if (DASHBOARD_ROLES.includes(role)) pages.push('/dashboard', '/regulatory', '/ecology');
  if (REVIEWERS.includes(role)) pages.push('/review');
  if (ENTERPRISE_VIEWERS.includes(role)) pages.push('/enterprises');
  // Read-only readers of applications land on their own work first (the firms, the dashboard).
  if (APPLICATION_READERS.includes(role) && !REVIEWERS.includes(role)) pages.push('/review');
  // The warning inbox (GET /v1/warnings): the staff who follow warnings up.
  if (['account-manager', 'credit-approver', 'risk-officer', 'admin'].includes(role)) pages.push('/warnings');
  if (role === 'account-manager' || role === 'admin') pages.push('/prospects');
  if (COLLECTIONS_READERS.includes(role)) pages.push('/collections');
  if (SUPPLY_CHAIN_READERS.includes(role)) pages.push('/supply-chain');
  // A collector works its cases from the worklist; the loan book is for the other staff.
  if (role !== 'collector') pages.push('/loans');
  // The last end of day and the notice outbox (GET /v1/eod/runner allows exactly these).
  if (role === 'operator' || role === 'admin' || role === 'auditor') pages.push('/operations');
  return pages;
}

export function isPage(path: string): path is Page {
  return (PAGES as readonly string[]).includes(path);
}
