/**
 * Every code the server can send to a person has a text in the web app, in Chinese and in English.
 * The codes are closed lists on the server (src/http/api-codes.ts); the texts are the web app's
 * dictionaries (web/src/i18n-portal.ts, web/src/code-texts.ts). A new reason, status or rule
 * without its texts fails here, not on a customer's screen.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHECKED_ACTIONS } from '../../src/approvals/checked-actions.js';
import { APPROVAL_KINDS, PERSON_CODES, type PersonCodeFamily } from '../../src/http/api-codes.js';
import { DEFAULT_POLICY, POLICY_REASON_CODES, POLICY_RULE_IDS } from '../../src/decision/policy-rules.js';
import { extractFeatures } from '../../src/features/index.js';
import { FEATURE_NAMES } from '../../src/features/feature-names.js';
import { CODE_TEXT_PREFIX, codesEn, codesZh } from '../../web/src/code-texts.js';
import { portalEn, portalZh } from '../../web/src/i18n-portal.js';
import { wordsEn, wordsZh } from '../../web/src/i18n-words.js';

const zh: Record<string, string> = { ...portalZh, ...codesZh, ...wordsZh };
const en: Record<string, string> = { ...portalEn, ...codesEn, ...wordsEn };

describe('texts for the codes the API sends', () => {
  it('every family of codes has a prefix in the web app, and no prefix names a family the server lacks', () => {
    assert.deepEqual(Object.keys(CODE_TEXT_PREFIX).sort(), Object.keys(PERSON_CODES).sort());
  });

  for (const family of Object.keys(PERSON_CODES) as PersonCodeFamily[]) {
    it(`every ${family} code has a Chinese and an English text`, () => {
      const codes: readonly string[] = PERSON_CODES[family];
      assert.ok(codes.length > 0);
      const prefix = CODE_TEXT_PREFIX[family];
      const missing = codes.flatMap((code) => [
        ...(zh[`${prefix}${code}`]?.trim() ? [] : [`zh ${prefix}${code}`]),
        ...(en[`${prefix}${code}`]?.trim() ? [] : [`en ${prefix}${code}`]),
      ]);
      assert.deepEqual(missing, []);
      // A Chinese text that is the code again, or still English, is not a translation.
      const untranslated = codes.filter((code) => !/[\u4e00-\u9fff]/.test(zh[`${prefix}${code}`]!));
      assert.deepEqual(untranslated, []);
    });
  }

  it('the closed lists match what the server produces', () => {
    // Every maker-checker kind is listed, and nothing else.
    assert.deepEqual([...CHECKED_ACTIONS.keys()].sort(), [...APPROVAL_KINDS].sort());
    // The default policy uses only catalogued rules and reasons (the types say so; this says the lists are not padded).
    for (const rule of DEFAULT_POLICY.rules) {
      assert.ok(POLICY_RULE_IDS.includes(rule.id));
      assert.ok(POLICY_REASON_CODES.includes(rule.reasonCode));
    }
    assert.equal(new Set(FEATURE_NAMES).size, FEATURE_NAMES.length);
    assert.equal(FEATURE_NAMES.length, 38);
  });

  it('the feature list is exactly what feature extraction computes, plus the decision\'s cross_check_failed', () => {
    const set = extractFeatures(
      { id: 'e1', creditCode: '91350100M000100Y43', industry: 'retail', registeredOn: '2020-01-01', employees: 12, revenue: 3_000_000_00n, assets: 1_000_000_00n, sizeClass: 'small' } as never,
      { pullId: 'p1', asOf: '2025-06-30', sources: {} } as never,
    );
    assert.deepEqual([...Object.keys(set.features), 'cross_check_failed'].sort(), [...FEATURE_NAMES].sort());
  });
});
