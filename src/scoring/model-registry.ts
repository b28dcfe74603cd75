/**
 * A registry of scorecard models over a directory: one model file per model
 * (`<id>.model.json`) and `registry.json` listing each with its status —
 *
 * - `challenger`: registered, scored in parallel or in shadow, not deciding;
 * - `champion`: the model the decision engine uses; once any model has been promoted there is
 *   always exactly one;
 * - `retired`: kept for audit, never used again.
 *
 * Promoting a model retires the previous champion; the champion cannot be retired directly
 * (promote its successor instead), so "exactly one champion" cannot be broken by mistake.
 * The transitions here are pure functions over the registry's data; `model-store.ts` keeps the
 * registry in a directory and wraps them (file I/O stays out of the pure scoring core). A
 * database-backed store can replace the directory later with the same transitions.
 *
 * @example
 * const registry = promoteModel(registerModel(EMPTY_REGISTRY, model, 'pd-2025-01', at), 'pd-2025-01', at);
 */
import { ConflictError, NotFoundError, ValidationError, invariant } from '../errors.js';
import type { ScorecardModel } from './scorecard-model.js';

/** A model's status in the registry. */
export type ModelStatus = 'challenger' | 'champion' | 'retired';

/** One registered model. */
export interface RegistryEntry {
  readonly id: string;
  readonly file: string;
  readonly status: ModelStatus;
  readonly registeredAt: string;
  /** When the status last changed. */
  readonly statusChangedAt: string;
  readonly fingerprint: string;
  readonly trainingAuc: number;
}

/** The registry's content (`registry.json`). */
export interface Registry {
  readonly format: 'sprout-scorecard-registry';
  readonly version: 1;
  readonly models: readonly RegistryEntry[];
}

/** An empty registry. */
export const EMPTY_REGISTRY: Registry = { format: 'sprout-scorecard-registry', version: 1, models: [] };

/** A model's id: 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit. */
export const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ID = MODEL_ID;

/**
 * Checks the registry's invariants (at most one champion, unique ids) and returns it.
 *
 * @example
 * checkRegistry(EMPTY_REGISTRY); // EMPTY_REGISTRY
 */
export function checkRegistry(registry: Registry): Registry {
  invariant(registry.models.filter((m) => m.status === 'champion').length <= 1, 'at most one champion');
  invariant(new Set(registry.models.map((m) => m.id)).size === registry.models.length, 'model ids are unique');
  return registry;
}

/**
 * Adds a model as a challenger.
 *
 * @example
 * registerModel(EMPTY_REGISTRY, model, 'pd-2025-01', '2025-01-31T00:00:00.000Z').models[0].status; // 'challenger'
 */
export function registerModel(registry: Registry, model: ScorecardModel, id: string, at: string): Registry {
  if (!ID.test(id)) throw new ValidationError('id', 'must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit');
  if (registry.models.some((m) => m.id === id)) throw new ConflictError(`model "${id}" is already registered`, 'id');
  const entry: RegistryEntry = { id, file: `${id}.model.json`, status: 'challenger', registeredAt: at, statusChangedAt: at, fingerprint: model.data.fingerprint, trainingAuc: model.training.auc };
  return checkRegistry({ ...registry, models: [...registry.models, entry] });
}

/**
 * Makes a challenger the champion and retires the previous champion.
 *
 * @example
 * promoteModel(registry, 'pd-2025-01', at);
 */
export function promoteModel(registry: Registry, id: string, at: string): Registry {
  const entry = registry.models.find((m) => m.id === id);
  if (entry === undefined) throw new NotFoundError(`model "${id}"`);
  if (entry.status === 'retired') throw new ConflictError(`model "${id}" is retired and cannot be promoted`, 'id');
  if (entry.status === 'champion') return registry;
  const models = registry.models.map((m): RegistryEntry => {
    if (m.id === id) return { ...m, status: 'champion', statusChangedAt: at };
    if (m.status === 'champion') return { ...m, status: 'retired', statusChangedAt: at };
    return m;
  });
  const result = checkRegistry({ ...registry, models });
  invariant(result.models.filter((m) => m.status === 'champion').length === 1, 'exactly one champion after a promotion');
  return result;
}

/**
 * Retires a challenger. The champion cannot be retired: promote its successor.
 *
 * @example
 * retireModel(registry, 'pd-2024-06', at);
 */
export function retireModel(registry: Registry, id: string, at: string): Registry {
  const entry = registry.models.find((m) => m.id === id);
  if (entry === undefined) throw new NotFoundError(`model "${id}"`);
  if (entry.status === 'champion') throw new ConflictError(`model "${id}" is the champion: promote another model to replace it`, 'id');
  return checkRegistry({ ...registry, models: registry.models.map((m) => (m.id === id ? { ...m, status: 'retired', statusChangedAt: at } : m)) });
}
