/**
 * Collections (issue 16): the worklist, a case, the collectors, assignment, contacts, promises to
 * pay, steps, the funnel; and the enterprise timeline. Every shape is the server's (`api-schema.d.ts`).
 */
import { api, ok, type Answer, type Body } from './api';
import type { paths } from './api-schema';

type Query<Path extends keyof paths> = NonNullable<paths[Path]['get'] extends { parameters: { query?: infer Q } } ? Q : never>;
/** Drops empty filters, so `?bucket=` is never sent. */
const given = <T extends Record<string, string | undefined>>(query: T) => Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined && value !== '')) as T;

export type WorklistQuery = Query<'/v1/collections/worklist'>;
export type WorklistPage = Answer<'/v1/collections/worklist', 'get'>;
export type WorklistRow = WorklistPage['items'][number];
export type CollectionBucket = WorklistRow['bucket'];
export const collectionWorklist = (query: WorklistQuery) => ok(api.GET('/v1/collections/worklist', { params: { query: given(query) } }));

export type CollectionCase = Answer<'/v1/collections/loans/{id}', 'get'>;
export const collectionCase = (id: string) => ok(api.GET('/v1/collections/loans/{id}', { params: { path: { id } } }));
export type Collector = Answer<'/v1/collections/collectors', 'get'>[number];
export const collectors = () => ok(api.GET('/v1/collections/collectors'));
export const assignCollector = (id: string, collector: string) => ok(api.PUT('/v1/collections/loans/{id}/assignment', { params: { path: { id } }, body: { collector } }));

export type ContactBody = Body<'/v1/collections/loans/{id}/contacts', 'post'>;
export type ContactChannel = ContactBody['channel'];
export type ContactOutcome = ContactBody['outcome'];
export const logContact = (id: string, body: ContactBody) => ok(api.POST('/v1/collections/loans/{id}/contacts', { params: { path: { id } }, body }));
export const recordPromise = (id: string, body: Body<'/v1/collections/loans/{id}/promises', 'post'>) => ok(api.POST('/v1/collections/loans/{id}/promises', { params: { path: { id } }, body }));
export type StepBody = Body<'/v1/collections/loans/{id}/steps', 'post'>;
export type StepKind = StepBody['kind'];
export const recordStep = (id: string, body: StepBody) => ok(api.POST('/v1/collections/loans/{id}/steps', { params: { path: { id } }, body }));
export const completeStep = (id: string) => ok(api.POST('/v1/collections/steps/{id}/done', { params: { path: { id } } }));

export type FunnelStage = Answer<'/v1/collections/funnel', 'get'>[number];
export const collectionFunnel = () => ok(api.GET('/v1/collections/funnel'));

export type TimelineEvent = Answer<'/v1/enterprises/{id}/timeline', 'get'>[number];
export const enterpriseTimeline = (id: string) => ok(api.GET('/v1/enterprises/{id}/timeline', { params: { path: { id } } }));
