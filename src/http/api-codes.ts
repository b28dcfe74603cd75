/**
 * Every code the API can send to a person — errors, decision and pre-screen reasons, statuses,
 * policy rules, cross-checks, features, renewal refusals — as closed lists, and the TypeBox schema
 * that publishes each as an enum in `/openapi.json`. The web app's generated types
 * (`web/src/api-schema.d.ts`) carry the same unions, and test/web/code-texts.test.ts checks that the
 * web app has a Chinese and an English text for every member of every list here.
 *
 * The lists live with their domain (`ERROR_CODES` in errors.ts, `POLICY_RULE_IDS` in the policy…);
 * statuses, which the database schema types, are listed here and checked against it at compile time.
 *
 * @example
 * Type.Object({ status: literals(LOAN_STATUSES) }); // { anyOf: [{ const: 'active' }, …] } in OpenAPI
 */
import { Type, type TLiteral, type TUnion } from '@sinclair/typebox';
import { APPROVAL_KINDS } from '../approvals/maker-checker.js';
import { MONITORING_TASK_KINDS, WARNING_ACTION_KINDS, WARNING_LEVELS, WARNING_RULE_IDS, WARNING_STATUSES } from '../monitoring/rule-set.js';
import { ROLES } from '../auth/roles.js';
import { DATA_PURPOSES, DATA_SOURCES } from '../data/index.js';
import type { Classification, Database } from '../db/schema.js';
import { DECISION_REASON_CODES, OUTCOMES } from '../decision/decide.js';
import { LIMIT_BOUNDS } from '../decision/limit.js';
import { POLICY_REASON_CODES, POLICY_RULE_IDS } from '../decision/policy-rules.js';
import { INDUSTRIES } from '../enterprises/size-standard.js';
import { ERROR_CODES, ERROR_REASONS } from '../errors.js';
import { CROSS_CHECK_IDS, FEATURE_NAMES } from '../features/index.js';
import { PROSPECT_SOURCES } from '../prospects/prescreen.js';
import { PROSPECT_REASON_CODES } from '../prospects/prospect-batches.js';
import { RENEWAL_REFUSAL_CODES } from '../servicing/renewal-policy.js';
import { COLLATERAL_OWNERS, COLLATERAL_STATUSES, COLLATERAL_TYPES, GUARANTEE_STATUSES, GUARANTEE_TYPES, GUARANTOR_KINDS, GUARANTOR_STANDINGS, SECURITY_EVENT_KINDS, VALUATION_METHODS } from '../collateral/collateral-terms.js';
import { SECURITY_BOUNDS } from '../collateral/security-limit.js';
import { GUARANTEE_COUNT_REASONS } from '../collateral/guarantor-counting.js';
import { BORROWER_TYPES } from '../enterprises/borrower-type.js';
import { CHECK_IDS, CHECK_STATUSES, MIGRATION_DESTINATIONS, REPORT_NAMES } from '../reporting/regulatory-reports.js';
import { COLLECTION_BUCKETS, DPD_BUCKETS } from '../reporting/past-due.js';
import { COLLECTION_STEP_KINDS, COLLECTION_STEP_REASONS, COLLECTION_STEP_STATUSES, CONTACT_CHANNELS, CONTACT_OUTCOMES, PROMISE_STATUSES } from '../collections/collection-codes.js';
import { FUNNEL_STAGES } from '../collections/collection-worklist.js';
import { TIMELINE_EVENT_KINDS } from '../enterprises/enterprise-timeline.js';
import { PREPAYMENT_EFFECTS } from '../servicing/prepayment-options.js';
import { ACCOUNT_PURPOSES } from '../lines/settlement-accounts.js';

export { ACCOUNT_PURPOSES, PREPAYMENT_EFFECTS };

/** `Type.Union` of one `Type.Literal` per member: an enum in OpenAPI, a literal union in TypeScript. */
export function literals<const T extends readonly string[]>(values: T, options: { description?: string } = {}): TUnion<TLiteral<T[number]>[]> {
  return Type.Union(
    values.map((value) => Type.Literal(value)),
    options,
  ) as TUnion<TLiteral<T[number]>[]>;
}

export { APPROVAL_KINDS };
export { COLLATERAL_OWNERS, COLLATERAL_STATUSES, COLLATERAL_TYPES, GUARANTEE_COUNT_REASONS, GUARANTEE_STATUSES, GUARANTEE_TYPES, GUARANTOR_KINDS, GUARANTOR_STANDINGS, SECURITY_BOUNDS, SECURITY_EVENT_KINDS, VALUATION_METHODS };
export { MONITORING_TASK_KINDS, WARNING_ACTION_KINDS, WARNING_LEVELS, WARNING_RULE_IDS, WARNING_STATUSES };

/**
 * A closed list that holds exactly the members of a database column's type: a missing or an
 * unknown member is a compile error, so the list and the schema cannot drift apart.
 */
function columnValues<Column extends string>() {
  return <const T extends readonly [Column, ...Column[]]>(list: T & ([Column] extends [T[number]] ? unknown : { readonly missing: Exclude<Column, T[number]> })): T => list;
}

export const APPLICATION_STATUSES = columnValues<Database['application']['status']>()(['referred', 'pending-confirmation', 'approved', 'accepted', 'declined']);
export const LINE_STATUSES = columnValues<Database['credit_line']['status']>()(['active', 'frozen', 'closed']);
export const LOAN_STATUSES = columnValues<Database['loan']['status']>()(['active', 'closed', 'written-off', 'renewed']);
export const RENEWAL_REQUEST_STATUSES = columnValues<Database['renewal_request']['status']>()(['pending', 'renewed', 'refused']);
export const APPROVAL_STATUSES = columnValues<Database['approval_request']['status']>()(['pending', 'approved', 'rejected']);
export const PRODUCT_KINDS = columnValues<Database['product']['kind']>()(['revolving-line', 'short-term', 'term-loan']);
export const PRODUCT_STATUSES = columnValues<Database['product']['status']>()(['active', 'retired']);
export const PROSPECT_STATUSES = columnValues<Database['prospect']['status']>()(['pre-approved', 'declined', 'invalid', 'existing-customer']);
export const SIZE_CLASSES = columnValues<Database['enterprise']['size_class']>()(['large', 'medium', 'small', 'micro']);
export const CLASSIFICATIONS = columnValues<Classification>()(['normal', 'special-mention', 'substandard', 'doubtful', 'loss']);


/**
 * Every family of code a person can be shown, by name. The web app keeps a text for each member
 * (test/web/code-texts.test.ts); adding a member here without its texts fails that test.
 */
export const PERSON_CODES = {
  error: ERROR_CODES,
  errorReason: ERROR_REASONS,
  outcome: OUTCOMES,
  decisionReason: DECISION_REASON_CODES,
  policyReason: POLICY_REASON_CODES,
  policyRule: POLICY_RULE_IDS,
  limitBound: LIMIT_BOUNDS,
  feature: FEATURE_NAMES,
  crossCheck: CROSS_CHECK_IDS,
  prospectReason: PROSPECT_REASON_CODES,
  renewalRefusal: RENEWAL_REFUSAL_CODES,
  applicationStatus: APPLICATION_STATUSES,
  lineStatus: LINE_STATUSES,
  loanStatus: LOAN_STATUSES,
  renewalRequestStatus: RENEWAL_REQUEST_STATUSES,
  approvalStatus: APPROVAL_STATUSES,
  productStatus: PRODUCT_STATUSES,
  productKind: PRODUCT_KINDS,
  prospectStatus: PROSPECT_STATUSES,
  prospectSource: PROSPECT_SOURCES,
  classification: CLASSIFICATIONS,
  approvalKind: APPROVAL_KINDS,
  dataSource: DATA_SOURCES,
  dataPurpose: DATA_PURPOSES,
  role: ROLES,
  sizeClass: SIZE_CLASSES,
  industry: INDUSTRIES,
  collateralType: COLLATERAL_TYPES,
  collateralOwner: COLLATERAL_OWNERS,
  collateralStatus: COLLATERAL_STATUSES,
  valuationMethod: VALUATION_METHODS,
  guarantorKind: GUARANTOR_KINDS,
  guaranteeType: GUARANTEE_TYPES,
  guaranteeStatus: GUARANTEE_STATUSES,
  guarantorStanding: GUARANTOR_STANDINGS,
  securityBound: SECURITY_BOUNDS,
  guaranteeCountReason: GUARANTEE_COUNT_REASONS,
  securityEvent: SECURITY_EVENT_KINDS,
  borrowerType: BORROWER_TYPES,
  reportName: REPORT_NAMES,
  reportCheck: CHECK_IDS,
  checkStatus: CHECK_STATUSES,
  migrationDestination: MIGRATION_DESTINATIONS,
  dpdBucket: DPD_BUCKETS,
  collectionBucket: COLLECTION_BUCKETS,
  contactChannel: CONTACT_CHANNELS,
  contactOutcome: CONTACT_OUTCOMES,
  promiseStatus: PROMISE_STATUSES,
  collectionStep: COLLECTION_STEP_KINDS,
  collectionStepReason: COLLECTION_STEP_REASONS,
  collectionStepStatus: COLLECTION_STEP_STATUSES,
  funnelStage: FUNNEL_STAGES,
  timelineEvent: TIMELINE_EVENT_KINDS,
  warningLevel: WARNING_LEVELS,
  warningStatus: WARNING_STATUSES,
  warningRule: WARNING_RULE_IDS,
  warningAction: WARNING_ACTION_KINDS,
  taskKind: MONITORING_TASK_KINDS,
  prepaymentEffect: PREPAYMENT_EFFECTS,
  accountPurpose: ACCOUNT_PURPOSES,
} as const satisfies Record<string, readonly string[]>;

export type PersonCodeFamily = keyof typeof PERSON_CODES;
