import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseCsvTable } from '../../src/csv/index.js';
import { buildDataset } from '../../src/scoring/dataset.js';
import { EMPTY_REGISTRY, promoteModel, registerModel, retireModel } from '../../src/scoring/model-registry.js';
import { loadChampion, promoteModelFile, readRegistry, registerModelFile, retireModelFile } from '../../src/scoring/model-store.js';
import { trainScorecard } from '../../src/scoring/train-scorecard.js';

const lines = ['a,y', ...Array.from({ length: 200 }, (_, i) => `${i % 4},${(i * 7919) % 100 < 10 + 15 * (i % 4) ? 1 : 0}`)];
const model = trainScorecard(buildDataset(parseCsvTable(lines.join('\n')), { target: 'y', bad: '1' }), { column: 'y', bad: '1' });
const AT = '2025-01-31T00:00:00.000Z';
const champions = (r: { models: readonly { status: string }[] }) => r.models.filter((m) => m.status === 'champion').length;

describe('model registry', () => {
  it('a new model is a challenger; promoting makes it the one champion and retires the previous', () => {
    let r = registerModel(EMPTY_REGISTRY, model, 'm1', AT);
    r = registerModel(r, model, 'm2', AT);
    assert.deepEqual(r.models.map((m) => m.status), ['challenger', 'challenger']);
    r = promoteModel(r, 'm1', AT);
    assert.equal(champions(r), 1);
    r = promoteModel(r, 'm2', AT);
    assert.deepEqual(r.models.map((m) => m.status), ['retired', 'champion']);
    assert.equal(champions(r), 1);
  });

  it('the champion cannot be retired, a retired model cannot come back, ids are unique', () => {
    let r = promoteModel(registerModel(registerModel(EMPTY_REGISTRY, model, 'm1', AT), model, 'm2', AT), 'm1', AT);
    assert.throws(() => retireModel(r, 'm1', AT), /champion/);
    r = retireModel(r, 'm2', AT);
    assert.throws(() => promoteModel(r, 'm2', AT), /retired/);
    assert.throws(() => registerModel(r, model, 'm1', AT), /already registered/);
    assert.throws(() => registerModel(r, model, '../evil', AT), /id/);
    assert.throws(() => promoteModel(r, 'nope', AT), /not found/);
  });

  it('over a directory: register, promote, load the champion', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sprout-registry-'));
    try {
      const file = join(dir, 'model.json');
      writeFileSync(file, JSON.stringify(model));
      const registryDir = join(dir, 'models');
      assert.throws(() => loadChampion(registryDir), /champion scorecard not found/);
      registerModelFile(registryDir, file, 'pd-1', new Date(AT));
      registerModelFile(registryDir, file, 'pd-2', new Date(AT));
      promoteModelFile(registryDir, 'pd-1', new Date(AT));
      retireModelFile(registryDir, 'pd-2', new Date(AT));
      assert.deepEqual(readRegistry(registryDir).models.map((m) => [m.id, m.status]), [['pd-1', 'champion'], ['pd-2', 'retired']]);
      assert.deepEqual(loadChampion(registryDir), JSON.parse(JSON.stringify(model)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
