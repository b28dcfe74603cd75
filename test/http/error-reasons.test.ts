/**
 * Errors carry a reason and the values it names, so the web app words them in Chinese or English
 * with the field's label (web/src/error-message.ts), never the server's English message.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BACKENDS } from '../support/backends.js';
import { withTestApp } from '../support/test-app.js';
import { wordsEn, wordsZh } from '../../web/src/i18n-words.js';
import { ERROR_REASONS } from '../../src/errors.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('error reason texts', () => {
  it('each reason names the same values in Chinese and in English', () => {
    const zh = wordsZh as Record<string, string>;
    const en = wordsEn as Record<string, string>;
    for (const reason of ERROR_REASONS) assert.deepEqual(placeholders(zh[`er_${reason}`]!), placeholders(en[`er_${reason}`]!), reason);
  });
});

for (const backend of BACKENDS) {
  describe(`error reasons on ${backend}`, () => {
    it('a credit code with a wrong check character answers the position, the character and the expected one', async () => {
      await withTestApp(backend, async ({ app, tokenFor }) => {
        const headers = { authorization: `Bearer ${await tokenFor('account-manager')}` };
        const wrong = await app.inject({ method: 'POST', url: '/v1/enterprises', headers, payload: { name: '福州小微茶业', creditCode: '91350100M000100Y40', sizeClass: 'micro' } });
        assert.equal(wrong.statusCode, 400);
        assert.deepEqual(wrong.json(), {
          error: {
            code: 'VALIDATION',
            message: "creditCode: character 18 '0' is wrong: the check character (GB 32100-2015) should be '3'",
            field: 'creditCode',
            reason: 'credit-code-check',
            params: { position: 18, character: '0', expected: '3' },
          },
        });
        const short = await app.inject({ method: 'POST', url: '/v1/enterprises', headers, payload: { name: '福州小微茶业', creditCode: '91350100M0001', sizeClass: 'micro' } });
        // The route's schema refuses it first, with the limit.
        assert.deepEqual((short.json() as { error: unknown }).error, {
          code: 'VALIDATION',
          message: 'creditCode: must NOT have fewer than 18 characters',
          field: 'creditCode',
          reason: 'too-short',
          params: { limit: 18 },
        });
        // A schema violation names its reason too.
        const unknown = await app.inject({ method: 'POST', url: '/v1/enterprises', headers, payload: { name: '福州小微茶业', sizeClass: 'micro', colour: 'green' } });
        assert.deepEqual((unknown.json() as { error: { reason?: string; field?: string } }).error.reason, 'unknown-field');
        assert.deepEqual((unknown.json() as { error: { reason?: string; field?: string } }).error.field, 'colour');
      });
    });
  });
}
