/** The regional financial ecology index calls (GET /v1/ecology/*), with the shapes the API answers. */
import { request } from './api';

export type EcologyMethod = 'entropy' | 'ahp' | 'combined';
export const DIMENSION_KEYS = ['economic', 'financial', 'legal', 'credit', 'administrative'] as const;
export type DimensionKey = (typeof DIMENSION_KEYS)[number];

export interface EcologyRegion {
  readonly region: string;
  readonly regionEn: string;
  readonly code: string;
  readonly score: number;
  readonly rank: number;
  readonly grade: 'A' | 'B' | 'C' | 'D';
  readonly dimensions: Readonly<Partial<Record<DimensionKey, number>>>;
}

export interface EcologyIndex {
  readonly year: number;
  readonly method: EcologyMethod;
  readonly weights: Readonly<Record<string, number>>;
  readonly dimensionWeights: Readonly<Record<DimensionKey, number>>;
  readonly regions: readonly EcologyRegion[];
  readonly years: readonly number[];
  readonly availableYears: readonly number[];
  readonly indicators: readonly { readonly indicator: string; readonly dimension: DimensionKey; readonly direction: '+' | '-'; readonly unit?: string; readonly source?: string }[];
  readonly systemVersion: string;
  readonly consistencyRatio?: number;
  readonly imputed: readonly { readonly code: string; readonly indicator: string; readonly value: number }[];
  readonly excluded: readonly { readonly indicator: string; readonly reason: string }[];
}

export interface EcologyTrend {
  readonly method: EcologyMethod;
  readonly years: readonly number[];
  readonly regions: readonly { readonly region: string; readonly regionEn: string; readonly code: string; readonly points: readonly { readonly year: number; readonly score: number; readonly rank: number; readonly grade: string }[] }[];
}

export const ecologyIndex = (year: number | undefined, method: EcologyMethod) => request<EcologyIndex>('GET', `/v1/ecology/index?${new URLSearchParams({ ...(year === undefined ? {} : { year: String(year) }), method }).toString()}`);
export const ecologyTrend = (method: EcologyMethod) => request<EcologyTrend>('GET', `/v1/ecology/trend?method=${method}`);
export const ecologyCsvUrl = (year: number, method: EcologyMethod) => `/v1/ecology/index.csv?year=${year}&method=${method}`;
