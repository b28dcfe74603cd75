/** Secured and guaranteed lending calls (src/http/routes/collateral.ts), typed from the server's OpenAPI document. */
import { api, ok, type Answer, type Body } from './api';
import { idempotencyKey } from './api-portal';

export type EnterpriseSecurity = Answer<'/v1/enterprises/{id}/security', 'get'>;
export type LineSecurity = Answer<'/v1/lines/{id}/security', 'get'>;
export type CollateralItem = EnterpriseSecurity['collateral'][number];
export type CollateralType = CollateralItem['type'];
export type ValuationMethod = Body<'/v1/collateral/{id}/valuations', 'post'>['method'];
export type NewCollateral = Body<'/v1/collateral', 'post'>;
export type NewGuarantor = Body<'/v1/guarantors', 'post'>;
export type NewGuarantee = Body<'/v1/guarantees', 'post'>;
export type SecuritySplit = Answer<'/v1/reports/security-split', 'get'>;

export const COLLATERAL_TYPE_LIST: readonly CollateralType[] = [
  'residential-real-estate',
  'commercial-real-estate',
  'land-use-right',
  'plant',
  'equipment-vehicles',
  'inventory',
  'receivables',
  'deposits-certificates',
  'equity',
  'intellectual-property',
];
export const VALUATION_METHOD_LIST: readonly ValuationMethod[] = ['appraisal', 'market-index', 'book-value'];

export const enterpriseSecurity = (id: string) => ok(api.GET('/v1/enterprises/{id}/security', { params: { path: { id } } }));
export const lineSecurity = (id: string) => ok(api.GET('/v1/lines/{id}/security', { params: { path: { id } } }));
export const createCollateral = (body: NewCollateral) => ok(api.POST('/v1/collateral', { body }));
export const valueCollateral = (id: string, body: Body<'/v1/collateral/{id}/valuations', 'post'>) =>
  ok(api.POST('/v1/collateral/{id}/valuations', { params: { path: { id }, header: { 'idempotency-key': idempotencyKey() } }, body }));
export const registerPledge = (id: string, body: Body<'/v1/collateral/{id}/registration', 'post'>) =>
  ok(api.POST('/v1/collateral/{id}/registration', { params: { path: { id }, header: { 'idempotency-key': idempotencyKey() } }, body }));
export const linkCollateral = (id: string, lineId: string, allocated: string) => ok(api.POST('/v1/collateral/{id}/links', { params: { path: { id } }, body: { lineId, allocated } }));
export const createGuarantor = (body: NewGuarantor) => ok(api.POST('/v1/guarantors', { body }));
export const addGuarantee = (body: NewGuarantee) => ok(api.POST('/v1/guarantees', { params: { header: { 'idempotency-key': idempotencyKey() } }, body }));
export const securitySplit = () => ok(api.GET('/v1/reports/security-split'));
export type GuaranteeCallResult = Answer<'/v1/guarantees/{id}/call', 'post', 201>;
export const callGuarantee = (id: string, body: Body<'/v1/guarantees/{id}/call', 'post'>, key: string) =>
  ok(api.POST('/v1/guarantees/{id}/call', { params: { path: { id }, header: { 'idempotency-key': key } }, body }));
export const requestGuaranteeRelease = (id: string, reason: string, key: string) =>
  ok(api.POST('/v1/guarantees/{id}/release', { params: { path: { id }, header: { 'idempotency-key': key } }, body: { reason } }));
export const requestCollateralRelease = (id: string, reason: string, key: string) =>
  ok(api.POST('/v1/collateral/{id}/release', { params: { path: { id }, header: { 'idempotency-key': key } }, body: { reason } }));
export type GuarantorStanding = EnterpriseSecurity['guarantors'][number];
export type GuarantorAuthorisationBody = Body<'/v1/guarantors/{id}/authorisations', 'post'>;
export const grantGuarantorAuthorisation = (id: string, body: GuarantorAuthorisationBody) => ok(api.POST('/v1/guarantors/{id}/authorisations', { params: { path: { id } }, body }));
export const checkGuarantor = (id: string) => ok(api.POST('/v1/guarantors/{id}/checks', { params: { path: { id } } }));
