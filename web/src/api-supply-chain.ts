/** Supply-chain finance calls (src/http/routes/supply-chain.ts), typed from the server's OpenAPI document. */
import { api, ok, type Answer, type Body } from './api';

export type ProgrammeOverview = Answer<'/v1/supply-chain/programmes', 'get'>['items'][number];
export type CoreProgramme = Answer<'/v1/supply-chain/core-enterprises/{id}/programme', 'get'>['items'][number];
export type TierBalance = Answer<'/v1/supply-chain/balance', 'get'>['items'][number];
export type Receivable = Answer<'/v1/supply-chain/receivables', 'get'>['items'][number];
export type HolderCertificate = Answer<'/v1/supply-chain/certificates', 'get'>['items'][number];
export type FinancingQuote = Answer<'/v1/supply-chain/certificates/{id}/financing-quote', 'get'>;
export type NewProgramme = Body<'/v1/supply-chain/programmes', 'post'>;
export type NewReceivable = Body<'/v1/supply-chain/receivables', 'post'>;
export type ReceivablePayment = Answer<'/v1/supply-chain/receivables/{id}/payment', 'post'>;

export const programmes = () => ok(api.GET('/v1/supply-chain/programmes'));
export const coreProgrammes = (coreEnterpriseId: string) => ok(api.GET('/v1/supply-chain/core-enterprises/{id}/programme', { params: { path: { id: coreEnterpriseId } } }));
export const supplyChainBalance = () => ok(api.GET('/v1/supply-chain/balance'));
export const receivables = (coreEnterpriseId: string) => ok(api.GET('/v1/supply-chain/receivables', { params: { query: { coreEnterpriseId } } }));
export const proposeProgramme = (body: NewProgramme) => ok(api.POST('/v1/supply-chain/programmes', { body }));
export const registerReceivable = (body: NewReceivable) => ok(api.POST('/v1/supply-chain/receivables', { body }));
export const confirmReceivables = (coreEnterpriseId: string, receivableIds: string[]) => ok(api.POST('/v1/supply-chain/receivables/confirmation', { body: { coreEnterpriseId, receivableIds } }));
export const payReceivable = (id: string, key: string) => ok(api.POST('/v1/supply-chain/receivables/{id}/payment', { params: { path: { id }, header: { 'idempotency-key': key } } }));
export const certificates = (holderId: string, status: 'outstanding' | 'paid') => ok(api.GET('/v1/supply-chain/certificates', { params: { query: { holderId, status } } }));
export const financingQuote = (id: string) => ok(api.GET('/v1/supply-chain/certificates/{id}/financing-quote', { params: { path: { id } } }));
export const financeCertificate = (id: string, key: string) => ok(api.POST('/v1/supply-chain/certificates/{id}/financing', { params: { path: { id }, header: { 'idempotency-key': key } } }));
export type Transferee = Answer<'/v1/supply-chain/certificates/{id}/transferees', 'get'>['items'][number];
export type ChainLink = Answer<'/v1/supply-chain/certificates/{id}/chain', 'get'>['items'][number];
export const splitCertificate = (id: string, parts: string[], key: string) => ok(api.POST('/v1/supply-chain/certificates/{id}/split', { params: { path: { id }, header: { 'idempotency-key': key } }, body: { parts } }));
export const transferees = (id: string) => ok(api.GET('/v1/supply-chain/certificates/{id}/transferees', { params: { path: { id } } }));
export const transferCertificate = (id: string, toEnterpriseId: string, key: string) => ok(api.POST('/v1/supply-chain/certificates/{id}/transfer', { params: { path: { id }, header: { 'idempotency-key': key } }, body: { toEnterpriseId } }));
export const certificateChain = (id: string) => ok(api.GET('/v1/supply-chain/certificates/{id}/chain', { params: { path: { id } } }));
export const receivableCertificates = (receivableId: string) => ok(api.GET('/v1/supply-chain/receivables/{id}/certificates', { params: { path: { id: receivableId } } }));
export type ProgrammeChange = Body<'/v1/supply-chain/programmes/{id}/changes', 'post'>;
export type ProgrammeChangePreview = Answer<'/v1/supply-chain/programmes/{id}/change-preview', 'post'>;
export const previewProgrammeChange = (id: string, body: ProgrammeChange) => ok(api.POST('/v1/supply-chain/programmes/{id}/change-preview', { params: { path: { id } }, body }));
export const proposeProgrammeChange = (id: string, body: ProgrammeChange) => ok(api.POST('/v1/supply-chain/programmes/{id}/changes', { params: { path: { id } }, body }));
export const suspendProgramme = (id: string, reason: string) => ok(api.POST('/v1/supply-chain/programmes/{id}/suspend', { params: { path: { id } }, body: { reason } }));
export const resumeProgramme = (id: string, reason: string) => ok(api.POST('/v1/supply-chain/programmes/{id}/resume', { params: { path: { id } }, body: { reason } }));
