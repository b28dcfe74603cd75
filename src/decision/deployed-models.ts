/**
 * Scorecards deployed in the database (migration 0056), under maker-checker: a risk officer or an
 * admin proposes a model as the champion (it decides) or as the shadow challenger (scored on
 * every decision and recorded on it, deciding nothing); another risk officer or admin confirms it
 * (`scorecard.deploy`), never the maker. Deploying a champion retires the previous one, deploying
 * a shadow the previous shadow; a retired or shadow model already deployed can be named again by
 * its id alone (promoting the shadow that did well).
 *
 * New decisions use the deployed champion over the configured fallback (`SPROUT_MODEL_REGISTRY`'s
 * champion, or the shipped scorecard); a replay loads the model a decision recorded by its
 * version. Each deployed model keeps its training score distribution, which end of day compares
 * the live scores with (`recordModelStability`).
 *
 * @example
 * const request = await inTransaction(db, (trx) => proposeDeployment(trx, { id: 'pd-2026-12', role: 'champion', model }, maker));
 * await inTransaction(db, (trx) => decideRequest(trx, CHECKED_ACTIONS, request.id, 'approve', checker));
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { makeRequest, type Actor, type ApprovalRequest, type CheckedAction } from '../approvals/maker-checker.js';
import { appendAudit } from '../audit/audit-trail.js';
import type { BusinessDate } from '../calendar/index.js';
import type { Database } from '../db/schema.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { MODEL_ID } from '../scoring/model-registry.js';
import { parseScorecardModel, scoreStability, type PsiTable, type ScoreDistribution, type ScorecardModel } from '../scoring/index.js';
import { modelId, type DecisionConfig } from './decide.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** What a deployed model does. */
export const MODEL_ROLES = ['champion', 'shadow'] as const;
export type ModelRole = (typeof MODEL_ROLES)[number];

/** A deployment as proposed. Without `model`, `id` names a model already deployed. */
export interface ModelDeployment {
  readonly id: string;
  readonly role: ModelRole;
  readonly model?: unknown;
  /** The training scores' distribution; absent: the model's own `scoreDistribution`, if any. */
  readonly trainingScores?: ScoreDistribution | null;
}

/**
 * The request's payload: the model as its file's text, since a JSON column reorders keys and the
 * version is the hash of the model as written.
 */
export interface DeploymentPayload {
  readonly id: string;
  readonly role: ModelRole;
  readonly modelJson?: string;
  readonly trainingScores?: ScoreDistribution | null;
}

/** A deployed model as listed. */
export interface DeployedModelView {
  readonly id: string;
  readonly version: string;
  readonly role: ModelRole | 'retired';
  readonly trainingAuc: number;
  readonly hasTrainingScores: boolean;
  readonly deployedBy: string;
  readonly checkedBy: string;
  readonly deployedAt: string;
  readonly retiredAt: string | null;
}

/** A deployed model loaded for scoring. */
export interface DeployedModel {
  readonly id: string;
  readonly version: string;
  readonly model: ScorecardModel;
  readonly trainingScores: ScoreDistribution | null;
}

function checkDistribution(value: unknown): ScoreDistribution {
  const d = value as { cuts?: unknown; counts?: unknown } | null;
  const numbers = (list: unknown, integer: boolean) => Array.isArray(list) && list.every((n) => typeof n === 'number' && Number.isFinite(n) && (!integer || (Number.isInteger(n) && n >= 0)));
  if (typeof d !== 'object' || d === null || !numbers(d.cuts, false) || !numbers(d.counts, true)) throw new ValidationError('trainingScores', 'must be { cuts: numbers, counts: whole numbers }');
  const cuts = d.cuts as number[];
  const counts = d.counts as number[];
  if (counts.length !== cuts.length + 1) throw new ValidationError('trainingScores.counts', `must have one more entry than cuts (${cuts.length + 1})`);
  if (cuts.some((cut, i) => i > 0 && cut <= (cuts[i - 1] as number))) throw new ValidationError('trainingScores.cuts', 'must rise');
  if (counts.reduce((a, b) => a + b, 0) === 0) throw new ValidationError('trainingScores.counts', 'must count at least one score');
  return { cuts, counts };
}

/** The payload checked: the id's form, the role, the model file and its distribution. */
function checkDeployment(input: ModelDeployment): { id: string; role: ModelRole; model?: ScorecardModel; trainingScores: ScoreDistribution | null } {
  if (typeof input.id !== 'string' || !MODEL_ID.test(input.id)) throw new ValidationError('id', 'must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit');
  if (!(MODEL_ROLES as readonly string[]).includes(input.role)) throw new ValidationError('role', `must be one of ${MODEL_ROLES.join(', ')}`);
  if (input.model === undefined || input.model === null) {
    if (input.trainingScores !== undefined && input.trainingScores !== null) throw new ValidationError('trainingScores', 'goes with a new model; a deployed one keeps its own');
    return { id: input.id, role: input.role, trainingScores: null };
  }
  const model = parseScorecardModel(input.model);
  const given = input.trainingScores ?? model.scoreDistribution;
  return { id: input.id, role: input.role, model, trainingScores: given === undefined || given === null ? null : checkDistribution(given) };
}

/** Refuses what the checker could not carry out: an unknown id, a name taken by another model, a model already in the role. */
async function refuseImpossible(db: Executor, deployment: ReturnType<typeof checkDeployment>): Promise<void> {
  const existing = await db.selectFrom('scorecard_model').select(['id', 'version', 'role']).where('id', '=', deployment.id).executeTakeFirst();
  if (deployment.model === undefined) {
    if (existing === undefined) throw new NotFoundError(`deployed model ${deployment.id}: give the model file to deploy a new one`);
  } else {
    const version = modelId(deployment.model);
    if (existing !== undefined && existing.version !== version) throw new ConflictError(`model id ${deployment.id} names another model (${existing.version}); choose a new id`, 'id');
    const same = await db.selectFrom('scorecard_model').select('id').where('version', '=', version).where('id', '<>', deployment.id).executeTakeFirst();
    if (same !== undefined) throw new ConflictError(`this model is already deployed as ${same.id}; deploy it by that id`, 'id');
  }
  if (existing?.role === deployment.role) throw new ConflictError(`model ${deployment.id} is already the ${deployment.role}`, 'role');
}

/** Deploying a scorecard: proposed by a risk officer or an admin, confirmed by another of them. */
export const SCORECARD_DEPLOY: CheckedAction<DeploymentPayload> = {
  kind: 'scorecard.deploy',
  makers: ['risk-officer', 'admin'],
  checkers: ['risk-officer', 'admin'],
  execute: async (trx, payload, maker, checker) => {
    const { modelJson, ...rest } = payload;
    const deployment = checkDeployment({ ...rest, ...(modelJson === undefined ? {} : { model: JSON.parse(modelJson) as unknown }) });
    await refuseImpossible(trx, deployment);
    const now = new Date();
    const before = await trx.selectFrom('scorecard_model').select(['id', 'role']).where((eb) => eb.or([eb('role', '=', deployment.role), eb('id', '=', deployment.id)])).forUpdate().execute();
    // The previous holder of the role retires first (one champion, one shadow: a unique index).
    await trx.updateTable('scorecard_model').set({ role: 'retired', retired_at: now }).where('role', '=', deployment.role).execute();
    const moved = await trx.updateTable('scorecard_model').set({ role: deployment.role, deployed_by: maker, checked_by: checker, deployed_at: now, retired_at: null }).where('id', '=', deployment.id).executeTakeFirst();
    if (moved.numUpdatedRows === 0n) {
      const model = deployment.model!;
      await trx
        .insertInto('scorecard_model')
        .values({ id: deployment.id, version: modelId(model), role: deployment.role, model: modelJson!, training_scores: deployment.trainingScores === null ? null : JSON.stringify(deployment.trainingScores), deployed_by: maker, checked_by: checker, deployed_at: now, retired_at: null })
        .execute();
    }
    const version = (await trx.selectFrom('scorecard_model').select('version').where('id', '=', deployment.id).executeTakeFirstOrThrow()).version;
    await appendAudit(trx, { actor: `${maker} (checked by ${checker})`, action: 'scorecard.deploy', entityType: 'scorecard_model', entityId: deployment.id, before: { models: before.map((m) => ({ id: m.id, role: m.role })) }, after: { id: deployment.id, role: deployment.role, version } }, now);
    return { id: deployment.id, role: deployment.role, version };
  },
};

/**
 * Proposes a deployment for a checker; refused at once when it could not be carried out.
 *
 * @example
 * await proposeDeployment(trx, { id: 'pd-2026-12', role: 'shadow', model }, { username: 'li.risk', role: 'risk-officer' });
 */
export async function proposeDeployment(trx: Transaction<Database>, input: ModelDeployment, maker: Actor): Promise<ApprovalRequest> {
  const deployment = checkDeployment(input);
  await refuseImpossible(trx, deployment);
  const payload: DeploymentPayload = { id: deployment.id, role: deployment.role, ...(deployment.model === undefined ? {} : { modelJson: JSON.stringify(deployment.model), trainingScores: deployment.trainingScores }) };
  // One pending deployment per role.
  return makeRequest(trx, SCORECARD_DEPLOY, `scorecard:${deployment.role}`, payload, maker);
}

/** Every deployed model, the champion and shadow first, then the retired newest first. */
export async function listDeployedModels(db: Executor): Promise<DeployedModelView[]> {
  const rows = await db
    .selectFrom('scorecard_model')
    .select(['id', 'version', 'role', 'deployed_by', 'checked_by', 'deployed_at', 'retired_at', 'model', sql<boolean>`training_scores is not null`.as('has_scores')])
    .orderBy(sql`case role when 'champion' then 0 when 'shadow' then 1 else 2 end`)
    .orderBy('deployed_at', 'desc')
    .limit(200)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    version: row.version,
    role: row.role,
    trainingAuc: (JSON.parse(row.model) as ScorecardModel).training.auc,
    hasTrainingScores: row.has_scores === true || (row.has_scores as unknown) === 't',
    deployedBy: row.deployed_by,
    checkedBy: row.checked_by,
    deployedAt: new Date(row.deployed_at).toISOString(),
    retiredAt: row.retired_at === null ? null : new Date(row.retired_at).toISOString(),
  }));
}

// Deployed models never change once written: parse each version once per process.
const LOADED = new Map<string, DeployedModel>();

async function loadModel(db: Executor, row: { id: string; version: string }): Promise<DeployedModel> {
  const cached = LOADED.get(row.version);
  if (cached !== undefined && cached.id === row.id) return cached;
  const full = await db.selectFrom('scorecard_model').select(['model', 'training_scores']).where('version', '=', row.version).executeTakeFirstOrThrow();
  const loaded: DeployedModel = { id: row.id, version: row.version, model: parseScorecardModel(JSON.parse(full.model)), trainingScores: full.training_scores === null ? null : checkDistribution(full.training_scores) };
  LOADED.set(row.version, loaded);
  return loaded;
}

/**
 * The champion and the shadow now deployed (either may be absent).
 *
 * @example
 * const { champion, shadow } = await deployedModels(db);
 */
export async function deployedModels(db: Executor): Promise<{ champion?: DeployedModel; shadow?: DeployedModel }> {
  const rows = await db.selectFrom('scorecard_model').select(['id', 'version', 'role']).where('role', '<>', 'retired').execute();
  const result: { champion?: DeployedModel; shadow?: DeployedModel } = {};
  for (const row of rows) result[row.role as ModelRole] = await loadModel(db, row);
  return result;
}

/**
 * `config` with the deployed champion deciding and the shadow scored alongside.
 *
 * @example
 * const config = await withDeployedModels(db, activeConfig);
 */
export async function withDeployedModels(db: Executor, config: DecisionConfig): Promise<DecisionConfig> {
  const { champion, shadow } = await deployedModels(db);
  return { ...config, ...(champion === undefined ? {} : { model: champion.model }), ...(shadow === undefined ? {} : { shadow: { id: shadow.id, model: shadow.model } }) };
}

/** The deployed model of a version a decision recorded, if it was deployed here. */
export async function deployedModelOfVersion(db: Executor, version: string): Promise<ScorecardModel | undefined> {
  const row = await db.selectFrom('scorecard_model').select(['id', 'version']).where('version', '=', version).executeTakeFirst();
  return row === undefined ? undefined : (await loadModel(db, row)).model;
}

/** How end of day reads the champion's stability; every field has a default. */
export interface StabilityOptions {
  /** The most recent decisions compared (default 500). */
  readonly window?: number;
  /** Fewer decisions than this in the window: no reading that night (default 50). */
  readonly minDecisions?: number;
  /** A PSI from here is "watch" (default 0.1). */
  readonly watchAt?: number;
  /** A PSI from here is "shifted" and raises a warning (default 0.25). */
  readonly warnAt?: number;
}

export const DEFAULT_STABILITY: Required<StabilityOptions> = { window: 500, minDecisions: 50, watchAt: 0.1, warnAt: 0.25 };

/**
 * The options from the environment: `SPROUT_PSI_WINDOW`, `SPROUT_PSI_MIN_DECISIONS`,
 * `SPROUT_PSI_WATCH`, `SPROUT_PSI_WARN`; an unset one keeps its default.
 *
 * @example
 * stabilityOptionsFromEnv({ SPROUT_PSI_WARN: '0.2' }).warnAt; // 0.2
 */
export function stabilityOptionsFromEnv(env: Readonly<Record<string, string | undefined>>): Required<StabilityOptions> {
  const read = (name: string, fallback: number, integer: boolean): number => {
    const text = env[name];
    if (text === undefined || text === '') return fallback;
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) throw new ValidationError(name, `must be a positive ${integer ? 'whole number' : 'number'}; got "${text}"`);
    return value;
  };
  return {
    window: read('SPROUT_PSI_WINDOW', DEFAULT_STABILITY.window, true),
    minDecisions: read('SPROUT_PSI_MIN_DECISIONS', DEFAULT_STABILITY.minDecisions, true),
    watchAt: read('SPROUT_PSI_WATCH', DEFAULT_STABILITY.watchAt, false),
    warnAt: read('SPROUT_PSI_WARN', DEFAULT_STABILITY.warnAt, false),
  };
}

/** One night's reading. */
export interface ModelStability {
  readonly businessDate: BusinessDate;
  readonly modelId: string;
  readonly modelVersion: string;
  readonly decisions: number;
  readonly psi: number;
  readonly level: 'stable' | 'watch' | 'shifted';
  readonly watchAt: number;
  readonly warnAt: number;
  readonly bins: PsiTable['bins'];
}

/**
 * End of day's model monitoring: the PSI of the scores the deployed champion gave the most recent
 * decisions (up to `window`, decided on or before `date`) against its training score distribution.
 * Recorded once per date; a PSI at or past `warnAt` is "shifted" and raises a warning (an audit
 * event `model.psi-warning`, and the reading listed by `GET /v1/models/stability`). Nothing is
 * read when no champion is deployed, it has no training distribution, or the window holds fewer
 * than `minDecisions` decisions.
 *
 * @example
 * await recordModelStability(trx, '2026-12-01', { warnAt: 0.25 }, 'eod'); // { psi: 0.27…, level: 'shifted', … }
 */
export async function recordModelStability(trx: Transaction<Database>, date: BusinessDate, options: StabilityOptions, actor: string, now: Date = new Date()): Promise<ModelStability | null> {
  const settings = { ...DEFAULT_STABILITY, ...options };
  const { champion } = await deployedModels(trx);
  if (champion === undefined || champion.trainingScores === null) return null;
  const done = await trx.selectFrom('model_stability').select('psi').where('business_date', '=', date).where('model_id', '=', champion.id).executeTakeFirst();
  if (done !== undefined) return null;
  const rows = await trx
    .selectFrom('application')
    .select(sql<string>`decision->>'score'`.as('score'))
    .where(sql<string>`decision->'versions'->>'model'`, '=', champion.version)
    .where('business_date', '<=', date)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(settings.window)
    .execute();
  if (rows.length < settings.minDecisions) return null;
  const table = scoreStability(champion.trainingScores, rows.map((row) => Number(row.score)));
  const level = table.psi >= settings.warnAt ? 'shifted' : table.psi >= settings.watchAt ? 'watch' : 'stable';
  const reading: ModelStability = { businessDate: date, modelId: champion.id, modelVersion: champion.version, decisions: rows.length, psi: table.psi, level, watchAt: settings.watchAt, warnAt: settings.warnAt, bins: table.bins };
  await trx
    .insertInto('model_stability')
    .values({ business_date: date, model_id: champion.id, model_version: champion.version, decisions: rows.length, psi: table.psi.toFixed(6), level, watch_at: String(settings.watchAt), warn_at: String(settings.warnAt), bins: JSON.stringify(table.bins), created_at: now })
    .execute();
  if (level === 'shifted') {
    await appendAudit(trx, { actor, action: 'model.psi-warning', entityType: 'scorecard_model', entityId: champion.id, after: { businessDate: date, psi: table.psi.toFixed(4), decisions: rows.length, warnAt: settings.warnAt } }, now);
  }
  return reading;
}

/** The recorded readings, newest first. */
export async function modelStabilityHistory(db: Executor, limit = 60): Promise<ModelStability[]> {
  const rows = await db.selectFrom('model_stability').selectAll().orderBy('business_date', 'desc').orderBy('model_id').limit(limit).execute();
  return rows.map((row) => ({
    businessDate: row.business_date,
    modelId: row.model_id,
    modelVersion: row.model_version,
    decisions: row.decisions,
    psi: Number(row.psi),
    level: row.level,
    watchAt: Number(row.watch_at),
    warnAt: Number(row.warn_at),
    bins: row.bins as PsiTable['bins'],
  }));
}
