/**
 * The calls of the borrower portal and the officer console, with the shapes the API answers
 * (docs/api.md). Money stays a decimal string end to end.
 */
import { request, type CreditLine, type LoanSummary, type User } from './api';

const query = (params: Record<string, string | undefined>) => {
  const entries = Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '');
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries).toString()}`;
};

/** A fresh key per money-moving click; a retry of the same click reuses it. */
export const idempotencyKey = () => (typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`);

// ---- people and enterprises ------------------------------------------------------------------

export const register = (body: { username: string; displayName: string; password: string; phone?: string }) => request<{ id: string; username: string }>('POST', '/v1/registrations', body);
export const me = () => request<User & { enterpriseIds?: string[] }>('GET', '/v1/me');
export const businessDate = () => request<{ businessDate: string }>('GET', '/v1/business-date');

export interface Owner {
  readonly name: string;
  readonly idNumber: string;
  readonly phone: string;
  readonly share: string;
}

export interface EnterpriseInput {
  readonly creditCode: string;
  readonly name: string;
  readonly industry: string;
  readonly regionCode: string;
  readonly registeredOn: string;
  readonly employees: number;
  readonly revenue: string;
  readonly assets: string;
  readonly owners: readonly Owner[];
}

export interface Enterprise extends EnterpriseInput {
  readonly id: string;
  readonly sizeClass: string;
}

export interface EnterpriseRow {
  readonly id: string;
  readonly creditCode: string;
  readonly name: string;
  readonly industry: string;
  readonly regionCode: string;
  readonly sizeClass: string;
}

export const createEnterprise = (body: EnterpriseInput) => request<Enterprise>('POST', '/v1/enterprises', body);
export const enterprise = (id: string) => request<Enterprise>('GET', `/v1/enterprises/${id}`);
export const searchEnterprises = (q: string) => request<EnterpriseRow[]>('GET', `/v1/enterprises${query({ q, limit: '50' })}`);

export interface DataSeries {
  readonly months: string[];
  readonly electricityKwh: number[];
  readonly waterTonnes: number[];
  readonly invoicedSales: string[];
  readonly taxPaid: string[];
}
export const dataSeries = (id: string) => request<DataSeries>('GET', `/v1/enterprises/${id}/data-series`);

export interface HistoryEvent {
  readonly id: string;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
}
export const history = (id: string) => request<HistoryEvent[]>('GET', `/v1/enterprises/${id}/history`);

// ---- origination --------------------------------------------------------------------------

export const DATA_SOURCES = ['registration', 'tax', 'electricity', 'water', 'social-security', 'courts', 'credit-bureau'] as const;

export const authorise = (enterpriseId: string, body: { sources: readonly string[]; purpose: 'credit-assessment'; expiresOn: string }) =>
  request<{ id: string; sources: string[]; purpose: string; grantedOn: string; expiresOn: string }>('POST', `/v1/enterprises/${enterpriseId}/authorisations`, body);

export type Outcome = 'approved' | 'declined' | 'referred';

export interface ApplicationOutcome {
  readonly applicationId: string;
  readonly outcome: Outcome;
  readonly reasonCodes: string[];
  readonly limit: string;
  readonly annualRate: string | null;
}

export interface RuleTrace {
  readonly ruleId: string;
  readonly fired: boolean;
  readonly outcome: string;
  readonly reasonCode: string;
  readonly inputs: Record<string, unknown>;
}

export interface DecisionRecord {
  readonly inputs: { readonly date: string; readonly features: Record<string, number | string | boolean | null>; readonly sizeClass: string; readonly product: { readonly code: string } };
  readonly decision: {
    readonly outcome: Outcome;
    readonly reasonCodes: string[];
    readonly policy: { readonly version: string; readonly outcome: string; readonly trace: RuleTrace[] };
    readonly score: number;
    readonly probability: number;
    readonly band: string;
    readonly scoreReasons: { readonly variable: string; readonly pointsLost: number; readonly bin: string }[];
    readonly limit: { readonly limit: string | number; readonly boundBy: string };
    readonly versions: Record<string, string>;
  };
}

export interface Application extends ApplicationOutcome {
  readonly enterpriseId: string;
  readonly status: string;
  readonly lineId: string | null;
  /** The signed contract record, once the offer is accepted. */
  readonly contract: { readonly contractNo: string; readonly signedBy: string; readonly signedAt: string; readonly digest: string; readonly verified: boolean } | null;
  readonly record?: DecisionRecord;
  /** The regional ecology factor the decision applied; null: region unknown; absent: decided before the index. */
  readonly regional?: { readonly code: string; readonly name: string; readonly year: number; readonly score: number; readonly grade: string; readonly version: string; readonly spreadAdjustment: string; readonly limitMultiplier: string } | null;
}

export interface QueueRow {
  readonly id: string;
  readonly enterpriseId: string;
  readonly enterpriseName?: string;
  readonly productCode?: string;
  readonly createdAt?: string;
  readonly annualRate?: string | null;
  readonly status: string;
  readonly limit: string;
  readonly businessDate: string;
  readonly reasonCodes: string[];
}

export const APPLICATION_STATUSES = ['referred', 'pending-confirmation', 'approved', 'accepted', 'declined'] as const;

export const applyForCredit = (body: { enterpriseId: string; productCode: string }) => request<ApplicationOutcome>('POST', '/v1/applications', body);
export const application = (id: string) => request<Application>('GET', `/v1/applications/${id}`);
export const applications = (status: string, enterpriseId?: string) => request<QueueRow[]>('GET', `/v1/applications${query({ status, enterpriseId })}`);
export const acceptOffer = (id: string) => request<CreditLine>('POST', `/v1/applications/${id}/accept`);
export const review = (id: string, body: { decision: 'approve' | 'decline'; limit?: string; note: string }) =>
  request<{ applicationId: string; status: string; approvalRequestId: string | null; limit: string }>('POST', `/v1/applications/${id}/review`, body);

export interface ApprovalRequest {
  readonly id: string;
  readonly kind: string;
  readonly subjectId: string;
  readonly payload: Record<string, unknown>;
  readonly maker: string;
  readonly madeAt: string;
  readonly status: string;
}
export const approvals = () => request<ApprovalRequest[]>('GET', '/v1/approvals');
export const decideApproval = (id: string, decision: 'approve' | 'reject') => request<ApprovalRequest>('POST', `/v1/approvals/${id}/decision`, { decision });

export interface Product {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly kind: string;
  readonly minAmount: string;
  readonly maxAmount: string;
  readonly minTermDays: number;
  readonly maxTermDays: number;
  readonly daysInYear: number;
  readonly status: string;
}
export const products = () => request<Product[]>('GET', '/v1/products');

// ---- lines, loans, money ------------------------------------------------------------------

export const linesOf = (enterpriseId?: string) => request<CreditLine[]>('GET', `/v1/lines${query({ enterpriseId, limit: '100' })}`);
export const loansOf = (enterpriseId?: string) => request<LoanSummary[]>('GET', `/v1/loans${query({ enterpriseId, limit: '100' })}`);

export interface Balances {
  readonly principalNotDue: string;
  readonly principalDue: string;
  readonly interestAccrued: string;
  readonly interestDue: string;
  readonly penaltyDue: string;
  readonly totalDue: string;
  readonly payoff: string;
}

export interface LoanDetail extends LoanSummary {
  readonly balances: Balances;
  readonly installments: { readonly number: number; readonly dueOn: string; readonly principal: string; readonly interest: string }[];
}
export const loan = (id: string) => request<LoanDetail>('GET', `/v1/loans/${id}`);

export interface Schedule {
  readonly installments: { readonly number: number; readonly dueDate: string; readonly days: number; readonly principal: string; readonly interest: string; readonly total: string; readonly balance: string }[];
  readonly totalPrincipal: string;
  readonly totalInterest: string;
  readonly totalRepayment: string;
}
export const previewSchedule = (body: Record<string, string | number>) => request<Schedule>('POST', '/v1/schedules', body);

export interface Drawdown {
  readonly loanId: string;
  readonly amount: string;
  readonly maturityOn: string;
  readonly lineAvailable: string;
  readonly schedule: Schedule;
}
export const drawdown = (lineId: string, body: { amount: string; termDays?: number; installments?: number }, key: string) => request<Drawdown>('POST', `/v1/lines/${lineId}/drawdowns`, body, { 'idempotency-key': key });

export interface Allocation {
  readonly penalty: string;
  readonly interestDue: string;
  readonly principalDue: string;
  readonly interestAccrued: string;
  readonly principalNotDue: string;
  readonly overpayment: string;
}
export const payoffQuote = (loanId: string) => request<{ loanId: string; asOf: string; loanStatus: string; amount: string; allocation: Allocation; balances: Balances }>('GET', `/v1/loans/${loanId}/payoff-quote`);
export const repay = (loanId: string, amount: string, key: string) =>
  request<{ loanId: string; amount: string; paidOn: string; loanStatus: string; allocation: Allocation; balances: Balances }>('POST', `/v1/loans/${loanId}/repayments`, { amount }, { 'idempotency-key': key });

export interface RenewalRequest {
  readonly id: string;
  readonly loanId: string;
  readonly enterpriseId: string;
  readonly termDays: number | null;
  readonly installments: number | null;
  readonly note: string;
  readonly status: string;
  readonly requestedAt: string;
  readonly businessDate: string;
  readonly newLoanId: string | null;
}
export const askForRenewal = (loanId: string, body: { termDays?: number; installments?: number; note: string }) => request<RenewalRequest>('POST', `/v1/loans/${loanId}/renewal-requests`, body);
export const renewalRequests = (status?: string, enterpriseId?: string) => request<RenewalRequest[]>('GET', `/v1/renewal-requests${query({ status, enterpriseId })}`);

/** What the reviewing officer attests under 金规〔2024〕13号 (every one must hold for a renewal). */
export interface RenewalAttestation {
  readonly lawfulOperation: boolean;
  readonly stableOperation: boolean;
  readonly goodCredit: boolean;
  readonly meetsLendingCriteria: boolean;
}
export const RENEWAL_ATTESTATIONS = ['lawfulOperation', 'stableOperation', 'goodCredit', 'meetsLendingCriteria'] as const;
export type RenewalOutcome =
  | { readonly decision: 'renewed'; readonly oldLoanId: string; readonly newLoanId: string; readonly principal: string; readonly interestCollected: string; readonly maturityOn: string; readonly classification: string }
  | { readonly decision: 'refused'; readonly oldLoanId: string; readonly refusals: { readonly code: string; readonly message: string }[] };
/** Staff renew a loan (无还本续贷); a refusal is an answer with its reasons, not an error. */
export const renewLoan = (loanId: string, body: { termDays?: number; installments?: number; attestation: RenewalAttestation }, key: string) =>
  request<RenewalOutcome>('POST', `/v1/loans/${loanId}/renewals`, body, { 'idempotency-key': key });

// ---- prospects ----------------------------------------------------------------------------

export interface ProspectBatch {
  readonly id: string;
  readonly source: string;
  readonly sourceName: string;
  readonly total: number;
  readonly preApproved: number;
  readonly declined: number;
  readonly invalid: number;
  readonly createdAt: string;
}
export interface Prospect {
  readonly creditCode: string;
  readonly name: string;
  readonly status: 'pre-approved' | 'declined' | 'invalid';
  readonly indicativeLimit: string | null;
  readonly reasons: string[];
}
export const importProspects = (body: { source: string; sourceName: string; prospects: { creditCode: string; name: string }[] }) => request<ProspectBatch>('POST', '/v1/prospect-batches', body);
export const prospectBatches = () => request<ProspectBatch[]>('GET', '/v1/prospect-batches');
export const prospectsOf = (batchId: string) => request<Prospect[]>('GET', `/v1/prospect-batches/${batchId}/prospects`);
