import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitMixedName } from '../../src/db/migrations/0031-product-names.js';

describe('migration 0031 splits a product name that mixed two languages', () => {
  it('"English 中文" becomes a Chinese and an English name; a name in one language is both', () => {
    assert.deepEqual(splitMixedName('Revolving micro credit line 小微循环贷'), { zh: '小微循环贷', en: 'Revolving micro credit line' });
    assert.deepEqual(splitMixedName('Term loan, equal installments 等额本息贷款'), { zh: '等额本息贷款', en: 'Term loan, equal installments' });
    assert.deepEqual(splitMixedName('小微循环贷'), { zh: '小微循环贷', en: '小微循环贷' });
    assert.deepEqual(splitMixedName('Green line'), { zh: 'Green line', en: 'Green line' });
  });
});
