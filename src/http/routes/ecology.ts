/**
 * The regional financial ecology index over HTTP, read-only, for management: one year's scores
 * and ranks (as `sprout ecology index` prints them), the same as CSV, and the pooled trend. The
 * index uses the active decision policy's indicator system and expert matrix and the shipped NBS
 * data with the bank's imported indicators; it is computed once per data stamp and settings.
 */
import { literals } from '../api-codes.js';
import { Type, type Static } from '@sinclair/typebox';
import type { DecisionConfig } from '../../decision/decide.js';
import { activeDecisionConfig } from '../../decision/policy-versions.js';
import { DEFAULT_REGIONAL_POLICY } from '../../decision/regional-factor.js';
import { type EcologyIndex, type EcologyMethod, METHODS } from '../../ecology/ecology-index.js';
import { completeYears, ecologyReport, ecologyReportCsv } from '../../ecology/ecology-report.js';
import { DIMENSIONS } from '../../ecology/indicator-system.js';
import { panelYears } from '../../ecology/panel.js';
import { findProvince } from '../../ecology/provinces.js';
import { cachedEcologyIndex, cachedPanel } from '../../ecology/regional-index-cache.js';
import { regionalDataStamp } from '../../ecology/regional-indicators.js';
import { ValidationError } from '../../errors.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { roles } from '../access.js';

const READERS = roles('management', 'risk-officer', 'auditor', 'admin');
const Method = Type.Union(METHODS.map((method) => Type.Literal(method)));
const Grade = Type.Union(['A', 'B', 'C', 'D'].map((grade) => Type.Literal(grade)));
const Dimensions = Type.Object(Object.fromEntries(DIMENSIONS.map((dimension) => [dimension, Type.Optional(Type.Number())])), { additionalProperties: false });
const DimensionWeights = Type.Object(Object.fromEntries(DIMENSIONS.map((dimension) => [dimension, Type.Number()])), { additionalProperties: false });

const IndexQuery = Type.Object(
  {
    year: Type.Optional(Type.String({ pattern: '^[0-9]{4}$', description: 'the year to score; default the latest year with every indicator' })),
    method: Type.Optional(Method),
    alpha: Type.Optional(Type.String({ pattern: '^(0(\\.[0-9]{1,4})?|1(\\.0{1,4})?)$', description: 'weight of AHP in the combined method, 0 to 1' })),
    pooled: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')], { description: 'normalise over every complete year, so scores compare across years' })),
  },
  { additionalProperties: false },
);

const IndexSchema = Type.Object({
  year: Type.Integer(),
  method: Method,
  weights: Type.Record(Type.String(), Type.Number()),
  dimensionWeights: DimensionWeights,
  regions: Type.Array(Type.Object({ region: Type.String(), regionEn: Type.String(), code: Type.String(), score: Type.Number(), rank: Type.Integer(), grade: Grade, dimensions: Dimensions })),
  years: Type.Array(Type.Integer(), { description: 'the years scored together (one, or every complete year when pooled)' }),
  availableYears: Type.Array(Type.Integer(), { description: 'the complete years of the data' }),
  indicators: Type.Array(Type.Object({ indicator: Type.String(), dimension: literals(DIMENSIONS), direction: literals(['+', '-'] as const), unit: Type.Optional(Type.String()), source: Type.Optional(Type.String()) })),
  systemVersion: Type.String(),
  consistencyRatio: Type.Optional(Type.Number()),
  imputed: Type.Array(Type.Object({ code: Type.String(), indicator: Type.String(), value: Type.Number() })),
  excluded: Type.Array(Type.Object({ indicator: Type.String(), reason: Type.String() })),
});

const TrendSchema = Type.Object({
  method: Method,
  years: Type.Array(Type.Integer()),
  regions: Type.Array(Type.Object({ region: Type.String(), regionEn: Type.String(), code: Type.String(), points: Type.Array(Type.Object({ year: Type.Integer(), score: Type.Number(), rank: Type.Integer(), grade: Grade })) })),
});

type Query = Static<typeof IndexQuery>;

export function ecologyRoutes(app: TypedApp, context: AppContext, deps: { readonly config: DecisionConfig }): void {
  /** The index for a query, with the active policy's system and expert matrix. */
  async function indexFor(query: Query, pooled: boolean): Promise<{ index: EcologyIndex; year: number; available: number[] }> {
    const config = await activeDecisionConfig(context.db, deps.config);
    const regional = config.regional ?? DEFAULT_REGIONAL_POLICY;
    const stamp = await regionalDataStamp(context.db);
    const panel = await cachedPanel(context.db, stamp);
    const available = completeYears(panel, regional.index.system);
    const year = query.year === undefined ? available.at(-1) ?? panelYears(panel).at(-1)! : Number(query.year);
    if (pooled && !available.includes(year)) throw new ValidationError('year', `${year} is not a complete year of the data (complete: ${available.join(', ')})`);
    const method: EcologyMethod = query.method ?? regional.index.method;
    const index = await cachedEcologyIndex(context.db, stamp, regional.index.system, {
      method,
      alpha: query.alpha === undefined ? regional.index.alpha : Number(query.alpha),
      ...(regional.index.ahp === undefined ? {} : { ahp: regional.index.ahp }),
      gradeCuts: regional.index.gradeCuts,
      years: pooled ? available : [year],
    });
    return { index, year, available };
  }

  app.get(
    '/v1/ecology/index',
    {
      config: { access: READERS },
      schema: {
        summary: 'The regional financial ecology index: weights, and each province’s score (0–100), rank, grade and five dimensions for a year',
        description:
          'Entropy weights, AHP weights from the active policy’s expert matrix, or both combined (w = α·AHP + (1 − α)·entropy). Missing values take the year’s median (listed in imputed); ' +
          'an indicator present for fewer than half the provinces is left out (excluded). The method is in docs/ecology.md. The same as CSV: GET /v1/ecology/index.csv.',
        tags: ['reports'],
        querystring: IndexQuery,
        response: { 200: IndexSchema },
      },
    },
    async (request) => {
      const { index, year, available } = await indexFor(request.query, request.query.pooled === 'true');
      const report = ecologyReport(index, year);
      const config = await activeDecisionConfig(context.db, deps.config);
      const system = (config.regional ?? DEFAULT_REGIONAL_POLICY).index.system;
      return {
        ...report,
        regions: report.regions.map((region) => ({ ...region, regionEn: findProvince(region.code)?.nameEn ?? region.code })),
        years: [...index.years],
        availableYears: available,
        indicators: system.indicators.map((definition) => ({ ...definition })),
        systemVersion: index.systemVersion,
        ...(index.consistencyRatio === undefined ? {} : { consistencyRatio: Math.round(index.consistencyRatio * 1e4) / 1e4 }),
        imputed: index.imputed.filter((cell) => cell.year === year).map(({ code, indicator, value }) => ({ code, indicator, value })),
        excluded: [...index.excluded],
      } as Static<typeof IndexSchema>;
    },
  );

  app.get(
    '/v1/ecology/index.csv',
    {
      config: { access: READERS },
      schema: { summary: 'The ecology index of a year as CSV (year, rank, code, region, score, grade, one column per dimension)', tags: ['reports'], querystring: IndexQuery },
    },
    async (request, reply) => {
      const { index, year } = await indexFor(request.query, request.query.pooled === 'true');
      return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="ecology-${year}.csv"`).send(ecologyReportCsv(ecologyReport(index, year)));
    },
  );

  app.get(
    '/v1/ecology/trend',
    {
      config: { access: READERS },
      schema: {
        summary: 'Each province’s score, rank and grade in every complete year, pooled (normalised over all province-years) so years compare',
        tags: ['reports'],
        querystring: Type.Object({ method: Type.Optional(Method) }, { additionalProperties: false }),
        response: { 200: TrendSchema },
      },
    },
    async (request) => {
      const { index } = await indexFor({ ...(request.query.method === undefined ? {} : { method: request.query.method }) }, true);
      const byCode = new Map<string, { region: string; regionEn: string; code: string; points: { year: number; score: number; rank: number; grade: 'A' | 'B' | 'C' | 'D' }[] }>();
      for (const region of index.regions) {
        const entry = byCode.get(region.code) ?? { region: region.name, regionEn: region.nameEn, code: region.code, points: [] };
        entry.points.push({ year: region.year, score: Math.round(region.score * 100) / 100, rank: region.rank, grade: region.grade });
        byCode.set(region.code, entry);
      }
      return { method: index.method, years: [...index.years], regions: [...byCode.values()].sort((a, b) => a.code.localeCompare(b.code)) };
    },
  );
}
