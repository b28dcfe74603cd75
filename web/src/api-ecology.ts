/** The regional financial ecology index calls (GET /v1/ecology/*), typed from the server's OpenAPI document. */
import { api, ok, type Answer } from './api';

export type EcologyIndex = Answer<'/v1/ecology/index', 'get'>;
export type EcologyTrend = Answer<'/v1/ecology/trend', 'get'>;
export type EcologyRegion = EcologyIndex['regions'][number];
export type EcologyMethod = EcologyIndex['method'];
export const DIMENSION_KEYS = ['economic', 'financial', 'legal', 'credit', 'administrative'] as const;
export type DimensionKey = (typeof DIMENSION_KEYS)[number];

export const ecologyIndex = (year: number | undefined, method: EcologyMethod) =>
  ok(api.GET('/v1/ecology/index', { params: { query: { ...(year === undefined ? {} : { year: String(year) }), method } } }));
export const ecologyTrend = (method: EcologyMethod) => ok(api.GET('/v1/ecology/trend', { params: { query: { method } } }));
export const ecologyCsvUrl = (year: number, method: EcologyMethod) => `/v1/ecology/index.csv?year=${year}&method=${method}`;
