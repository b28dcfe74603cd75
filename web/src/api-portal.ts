/**
 * The calls of the borrower portal and the officer console. Every shape is the server's own
 * (`api-schema.d.ts`, generated from its OpenAPI document); money stays a decimal string end to end.
 */
import { api, ok, type Answer, type Body } from './api';

/** A fresh key per money-moving click; a retry of the same click reuses it. */
export const idempotencyKey = () => (typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`);

/** Drops empty filters, so `?status=` is never sent. */
const given = <T extends Record<string, string | undefined>>(query: T) => Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined && value !== '')) as T;

// ---- people and enterprises ------------------------------------------------------------------

export const register = (body: Body<'/v1/registrations', 'post'>) => ok(api.POST('/v1/registrations', { body }));
/** Claim an enterprise as its registered legal representative (identity check against the registry). */
export const claimEnterprise = (body: Body<'/v1/claims', 'post'>) => ok(api.POST('/v1/claims', { body }));
/** Contest someone else's claim on an enterprise; an account manager resolves it. */
export const contestClaim = (body: Body<'/v1/claims/contests', 'post'>) => ok(api.POST('/v1/claims/contests', { body }));
export const me = () => ok(api.GET('/v1/me'));
export const businessDate = () => ok(api.GET('/v1/business-date'));

export type EnterpriseInput = Body<'/v1/enterprises', 'post'>;
export type Enterprise = Answer<'/v1/enterprises/{id}', 'get'>;
export type EnterpriseRow = Answer<'/v1/enterprises', 'get'>[number];
export type Owner = Enterprise['owners'][number];
export type Industry = NonNullable<Enterprise['industry']>;
export type SizeClass = Enterprise['sizeClass'];

export const createEnterprise = (body: EnterpriseInput) => ok(api.POST('/v1/enterprises', { body }));
export const enterprise = (id: string) => ok(api.GET('/v1/enterprises/{id}', { params: { path: { id } } }));
export const searchEnterprises = (q: string) => ok(api.GET('/v1/enterprises', { params: { query: given({ q, limit: '50' }) } }));

export type DataSeries = Answer<'/v1/enterprises/{id}/data-series', 'get'>;
export const dataSeries = (id: string) => ok(api.GET('/v1/enterprises/{id}/data-series', { params: { path: { id } } }));

export type HistoryEvent = Answer<'/v1/enterprises/{id}/history', 'get'>[number];
export const history = (id: string) => ok(api.GET('/v1/enterprises/{id}/history', { params: { path: { id } } }));

// ---- origination --------------------------------------------------------------------------

export type Authorisation = Body<'/v1/enterprises/{id}/authorisations', 'post'>;
export type DataSource = Authorisation['sources'][number];
/** The sources an application draws on, in the order the portal explains them. */
export const DATA_SOURCES = ['registration', 'tax', 'electricity', 'water', 'social-security', 'courts', 'credit-bureau'] as const satisfies readonly DataSource[];

export const authorise = (enterpriseId: string, body: Authorisation) => ok(api.POST('/v1/enterprises/{id}/authorisations', { params: { path: { id: enterpriseId } }, body }));

export type ApplicationOutcome = Answer<'/v1/applications', 'post', 201>;
export type Outcome = ApplicationOutcome['outcome'];
export type DecisionReasonCode = ApplicationOutcome['reasonCodes'][number];
export type Application = Answer<'/v1/applications/{id}', 'get'>;
export type ApplicationStatus = Application['status'];
export type DecisionRecord = NonNullable<Application['record']>;
export type RuleTrace = DecisionRecord['decision']['policy']['trace'][number];
export type FeatureName = DecisionRecord['decision']['scoreReasons'][number]['variable'];
export type QueueRow = Answer<'/v1/applications', 'get'>[number];

/** The pipeline's columns, in the order an application moves through them. */
export const APPLICATION_STATUSES = ['referred', 'pending-confirmation', 'approved', 'accepted', 'declined'] as const satisfies readonly ApplicationStatus[];

export const applyForCredit = (body: Body<'/v1/applications', 'post'>) => ok(api.POST('/v1/applications', { body }));
export const application = (id: string) => ok(api.GET('/v1/applications/{id}', { params: { path: { id } } }));
export const applications = (status: ApplicationStatus, enterpriseId?: string) => ok(api.GET('/v1/applications', { params: { query: { status, ...given({ enterpriseId }) } } }));
/** Signs the contract text of `contractVersion` (the one read) and accepts the offer. */
export type AcceptBody = Body<'/v1/applications/{id}/accept', 'post'>;
export const acceptOffer = (id: string, contractVersion: string, accounts: AcceptBody['accounts']) => ok(api.POST('/v1/applications/{id}/accept', { params: { path: { id }, query: { contractVersion } }, body: { accounts } }));
export type LineAccounts = Answer<'/v1/lines/{id}/accounts', 'get'>;
export type SettlementAccount = NonNullable<LineAccounts['disbursement']>;
export const lineAccountsOf = (lineId: string) => ok(api.GET('/v1/lines/{id}/accounts', { params: { path: { id: lineId } } }));
/** "工商银行杭州分行 ****3456": an account as every face shows it. */
export type AccountChange = Body<'/v1/lines/{id}/accounts/{purpose}', 'put'>;
export type AccountPurpose = 'disbursement' | 'repayment';
/** A borrower's change takes effect at once (200, the account); staff's waits for a checker (202, the request). */
export const changeAccount = (lineId: string, purpose: AccountPurpose, body: AccountChange) => ok(api.PUT('/v1/lines/{id}/accounts/{purpose}', { params: { path: { id: lineId, purpose } }, body }));
export const accountText = (account: { bankName: string; accountNoMasked: string } | null | undefined, none: string) => (account ? `${account.bankName} ${account.accountNoMasked}` : none);

export type AuthorisationRow = Answer<'/v1/enterprises/{id}/authorisations', 'get'>[number];
export const authorisationsOf = (enterpriseId: string) => ok(api.GET('/v1/enterprises/{id}/authorisations', { params: { path: { id: enterpriseId } } }));
export type VersionedText = Answer<'/v1/enterprises/{id}/authorisation-text', 'get'>;
export const authorisationTextOf = (enterpriseId: string) => ok(api.GET('/v1/enterprises/{id}/authorisation-text', { params: { path: { id: enterpriseId } } }));
export const withdrawAuthorisation = (id: string) => ok(api.POST('/v1/authorisations/{id}/withdrawal', { params: { path: { id } } }));
export type EnterpriseApplication = Answer<'/v1/enterprises/{id}/applications', 'get'>[number];
export const applicationsOf = (enterpriseId: string) => ok(api.GET('/v1/enterprises/{id}/applications', { params: { path: { id: enterpriseId } } }));
export type ContractDocument = Answer<'/v1/applications/{id}/contract', 'get'>;
export const contractOf = (applicationId: string) => ok(api.GET('/v1/applications/{id}/contract', { params: { path: { id: applicationId } } }));
/** The signed copy's address: a plain link, the session cookie goes with it. */
export const signedContractUrl = (applicationId: string) => `/v1/applications/${encodeURIComponent(applicationId)}/contract.html`;
export type Review = Answer<'/v1/applications/{id}/review', 'post'>;
export const review = (id: string, body: Body<'/v1/applications/{id}/review', 'post'>) => ok(api.POST('/v1/applications/{id}/review', { params: { path: { id } }, body }));

export type ApprovalRequest = Answer<'/v1/approvals', 'get'>[number];
export type ApprovalKind = ApprovalRequest['kind'];
export const approvals = () => ok(api.GET('/v1/approvals'));
export const decideApproval = (id: string, decision: Body<'/v1/approvals/{id}/decision', 'post'>['decision']) => ok(api.POST('/v1/approvals/{id}/decision', { params: { path: { id } }, body: { decision } }));

export type Product = Answer<'/v1/products', 'get'>[number];
export const products = () => ok(api.GET('/v1/products'));

// ---- lines, loans, money ------------------------------------------------------------------

export const linesOf = (enterpriseId?: string) => ok(api.GET('/v1/lines', { params: { query: { limit: '100', ...given({ enterpriseId }) } } }));
export const loansOf = (enterpriseId?: string) => ok(api.GET('/v1/loans', { params: { query: { limit: '100', ...given({ enterpriseId }) } } }));

export type LoanDetail = Answer<'/v1/loans/{id}', 'get'>;
export type LoanStatus = LoanDetail['status'];
export type Balances = LoanDetail['balances'];
export const loan = (id: string) => ok(api.GET('/v1/loans/{id}', { params: { path: { id } } }));

export type ScheduleRequest = Body<'/v1/schedules', 'post'>;
export type Schedule = Answer<'/v1/schedules', 'post'>;
export const previewSchedule = (body: ScheduleRequest) => ok(api.POST('/v1/schedules', { body }));

export type Drawdown = Answer<'/v1/lines/{id}/drawdowns', 'post', 201>;
export const drawdown = (lineId: string, body: Body<'/v1/lines/{id}/drawdowns', 'post'>, key: string) =>
  ok(api.POST('/v1/lines/{id}/drawdowns', { params: { path: { id: lineId }, header: { 'idempotency-key': key } }, body }));

export type PayoffQuote = Answer<'/v1/loans/{id}/payoff-quote', 'get'>;
export type Allocation = PayoffQuote['allocation'];
export const payoffQuote = (loanId: string) => ok(api.GET('/v1/loans/{id}/payoff-quote', { params: { path: { id: loanId } } }));
export type Repayment = Answer<'/v1/loans/{id}/repayments', 'post', 201>;
export type PrepaymentEffect = NonNullable<Repayment['prepaymentEffect']>;
export const repay = (loanId: string, amount: string, key: string, prepaymentEffect?: PrepaymentEffect) =>
  ok(api.POST('/v1/loans/{id}/repayments', { params: { path: { id: loanId }, header: { 'idempotency-key': key } }, body: prepaymentEffect === undefined ? { amount } : { amount, prepaymentEffect } }));

export type RepaymentPreview = Answer<'/v1/loans/{id}/repayment-preview', 'get'>;
export const repaymentPreview = (loanId: string, amount: string) => ok(api.GET('/v1/loans/{id}/repayment-preview', { params: { path: { id: loanId }, query: { amount } } }));
export type PastRepayment = Answer<'/v1/loans/{id}/repayments', 'get'>[number];
export const repaymentsOf = (loanId: string) => ok(api.GET('/v1/loans/{id}/repayments', { params: { path: { id: loanId } } }));
export type CurrentSchedule = Answer<'/v1/loans/{id}/current-schedule', 'get'>;
export type InstallmentState = CurrentSchedule['installments'][number]['state'];
export const currentScheduleOf = (loanId: string) => ok(api.GET('/v1/loans/{id}/current-schedule', { params: { path: { id: loanId } } }));
export type DrawdownPreview = Answer<'/v1/lines/{id}/drawdown-preview', 'post'>;
export const drawdownPreview = (lineId: string, body: Body<'/v1/lines/{id}/drawdown-preview', 'post'>) => ok(api.POST('/v1/lines/{id}/drawdown-preview', { params: { path: { id: lineId } }, body }));

export type RenewalRequest = Answer<'/v1/renewal-requests', 'get'>[number];
export type RenewalRequestStatus = RenewalRequest['status'];
export const askForRenewal = (loanId: string, body: Body<'/v1/loans/{id}/renewal-requests', 'post'>) => ok(api.POST('/v1/loans/{id}/renewal-requests', { params: { path: { id: loanId } }, body }));
export const renewalRequests = (status?: RenewalRequestStatus, enterpriseId?: string) => ok(api.GET('/v1/renewal-requests', { params: { query: given({ status, enterpriseId }) } }));

export type RenewalBody = Body<'/v1/loans/{id}/renewals', 'post'>;
/** What the reviewing officer attests under 金规〔2024〕13号 (every one must hold for a renewal). */
export type RenewalAttestation = RenewalBody['attestation'];
export const RENEWAL_ATTESTATIONS = ['lawfulOperation', 'stableOperation', 'goodCredit', 'meetsLendingCriteria'] as const satisfies readonly (keyof RenewalAttestation)[];
export type RenewalOutcome = Answer<'/v1/loans/{id}/renewals', 'post', 201> | Answer<'/v1/loans/{id}/renewals', 'post', 200>;
export type RenewalRefusalCode = Answer<'/v1/loans/{id}/renewals', 'post', 200>['refusals'][number]['code'];
/** Staff renew a loan (无还本续贷); a refusal is an answer with its reasons, not an error. */
export const renewLoan = (loanId: string, body: RenewalBody, key: string): Promise<RenewalOutcome> =>
  ok(api.POST('/v1/loans/{id}/renewals', { params: { path: { id: loanId }, header: { 'idempotency-key': key } }, body }));

// ---- prospects ----------------------------------------------------------------------------

export type ProspectBatch = Answer<'/v1/prospect-batches', 'get'>[number];
export type ProspectSource = ProspectBatch['source'];
export type Prospect = Answer<'/v1/prospect-batches/{id}/prospects', 'get'>[number];
export const importProspects = (body: Body<'/v1/prospect-batches', 'post'>) => ok(api.POST('/v1/prospect-batches', { body }));
export const prospectBatches = () => ok(api.GET('/v1/prospect-batches'));
export const prospectsOf = (batchId: string) => ok(api.GET('/v1/prospect-batches/{id}/prospects', { params: { path: { id: batchId } } }));
