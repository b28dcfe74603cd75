/**
 * The scorecard model registry kept in a directory: one model file per model
 * (`<id>.model.json`) and `registry.json` listing each with its status. The file I/O of the
 * registry lives here, apart from the pure transitions in `model-registry.ts`, so the scoring
 * core stays free of the file system (test/architecture/pure-core.test.ts).
 *
 * @example
 * registerModelFile('models', 'model.json', 'pd-2025-01', new Date());
 * promoteModelFile('models', 'pd-2025-01', new Date());
 * const champion = loadChampion('models'); // the ScorecardModel now deciding
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NotFoundError, ValidationError } from '../errors.js';
import { checkRegistry, EMPTY_REGISTRY, promoteModel, registerModel, retireModel, type Registry, type RegistryEntry } from './model-registry.js';
import { parseScorecardModel, type ScorecardModel } from './scorecard-model.js';

/**
 * Reads `registry.json` in a directory; an absent file is an empty registry.
 *
 * @example
 * readRegistry('models').models.length;
 */
export function readRegistry(directory: string): Registry {
  const path = join(directory, 'registry.json');
  if (!existsSync(path)) return EMPTY_REGISTRY;
  const registry = JSON.parse(readFileSync(path, 'utf8')) as Registry;
  if (registry.format !== 'sprout-scorecard-registry' || registry.version !== 1) throw new ValidationError('registry', `${path} is not a version 1 Sprout scorecard registry`);
  return checkRegistry(registry);
}

// Write then rename, so a crash never leaves a half-written registry.
function writeAtomically(path: string, content: string): void {
  writeFileSync(`${path}.tmp`, content);
  renameSync(`${path}.tmp`, path);
}

function writeRegistry(directory: string, registry: Registry): void {
  writeAtomically(join(directory, 'registry.json'), `${JSON.stringify(registry, null, 2)}\n`);
}

/**
 * Copies a model file into the registry directory and registers it as a challenger.
 *
 * @example
 * registerModelFile('models', 'out/model.json', 'pd-2025-01', new Date());
 */
export function registerModelFile(directory: string, modelPath: string, id: string, now: Date): RegistryEntry {
  const text = readFileSync(modelPath, 'utf8');
  const model = parseScorecardModel(JSON.parse(text));
  mkdirSync(directory, { recursive: true });
  const registry = registerModel(readRegistry(directory), model, id, now.toISOString());
  const entry = registry.models[registry.models.length - 1] as RegistryEntry;
  writeAtomically(join(directory, entry.file), text);
  writeRegistry(directory, registry);
  return entry;
}

/**
 * Promotes a registered model to champion (the previous champion is retired).
 *
 * @example
 * promoteModelFile('models', 'pd-2025-01', new Date());
 */
export function promoteModelFile(directory: string, id: string, now: Date): Registry {
  const registry = promoteModel(readRegistry(directory), id, now.toISOString());
  writeRegistry(directory, registry);
  return registry;
}

/**
 * Retires a challenger.
 *
 * @example
 * retireModelFile('models', 'pd-2024-06', new Date());
 */
export function retireModelFile(directory: string, id: string, now: Date): Registry {
  const registry = retireModel(readRegistry(directory), id, now.toISOString());
  writeRegistry(directory, registry);
  return registry;
}

/**
 * Loads the champion model, for the decision engine.
 *
 * @example
 * const model = loadChampion('models');
 */
export function loadChampion(directory: string): ScorecardModel {
  const champion = readRegistry(directory).models.find((m) => m.status === 'champion');
  if (champion === undefined) throw new NotFoundError('champion scorecard');
  return parseScorecardModel(JSON.parse(readFileSync(join(directory, champion.file), 'utf8')));
}
