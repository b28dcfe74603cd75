import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { auc, gini, ks, rocCurve } from '../../src/scoring/discrimination.js';
import { gainsTable } from '../../src/scoring/gains-table.js';
import { psi, psiContributions } from '../../src/scoring/psi.js';
import { binInformationValue, informationValue, weightOfEvidence } from '../../src/scoring/woe-iv.js';

const close = (actual: number, expected: number, tolerance = 1e-9) => assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} ≠ ${expected}`);

describe('WOE and IV', () => {
  it('WOE is ln(bad share / good share): 30 of 100 bads and 20 of 400 goods give ln 6', () => {
    close(weightOfEvidence({ goods: 20, bads: 30 }, { goods: 400, bads: 100 }), Math.log(0.3 / 0.05));
    close(binInformationValue({ goods: 20, bads: 30 }, { goods: 400, bads: 100 }), 0.25 * Math.log(6));
  });

  it('a bin with the average mix has WOE 0 and adds nothing to the IV', () => {
    close(weightOfEvidence({ goods: 40, bads: 10 }, { goods: 400, bads: 100 }), 0);
    close(binInformationValue({ goods: 40, bads: 10 }, { goods: 400, bads: 100 }), 0);
  });

  it('IV of two bins, by hand: (0.5 − 0.75) ln(0.5/0.75) + (0.5 − 0.25) ln(0.5/0.25) = 0.274653', () => {
    close(informationValue([{ goods: 300, bads: 50 }, { goods: 100, bads: 50 }]), -0.25 * Math.log(0.5 / 0.75) + 0.25 * Math.log(2));
    close(informationValue([{ goods: 300, bads: 50 }, { goods: 100, bads: 50 }]), 0.274653, 1e-6);
  });

  it('an empty cell gets half an observation on both counts, so the WOE stays finite', () => {
    close(weightOfEvidence({ goods: 0, bads: 10 }, { goods: 100, bads: 100 }), Math.log(10.5 / 100 / (0.5 / 100)));
  });
});

describe('AUC, Gini, KS', () => {
  const risk = Float64Array.of(0.8, 0.5, 0.5, 0.1);
  const target = Uint8Array.of(1, 1, 0, 0);

  it('AUC counts a tie as one half: pairs (0.8>0.5, 0.8>0.1, 0.5=0.5, 0.5>0.1) give 3.5 / 4', () => {
    close(auc(risk, target), 0.875);
    close(gini(0.875), 0.75);
  });

  it('perfect and reversed rankings give AUC 1 and 0', () => {
    close(auc(Float64Array.of(0.9, 0.8, 0.2, 0.1), Uint8Array.of(1, 1, 0, 0)), 1);
    close(auc(Float64Array.of(0.1, 0.2, 0.8, 0.9), Uint8Array.of(1, 1, 0, 0)), 0);
  });

  it('AUC equals the Mann–Whitney count on a larger sample', () => {
    const r = Float64Array.from({ length: 60 }, (_, i) => ((i * 37) % 17) / 17);
    const t = Uint8Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    let wins = 0;
    let pairs = 0;
    for (let i = 0; i < 60; i++) for (let j = 0; j < 60; j++) if (t[i] === 1 && t[j] === 0) {
      pairs++;
      wins += r[i]! > r[j]! ? 1 : r[i] === r[j] ? 0.5 : 0;
    }
    close(auc(r, t), wins / pairs, 1e-12);
  });

  it('KS is the largest gap between the cumulative bad and good shares: 0.5, first reached at 0.8', () => {
    assert.deepEqual(ks(risk, target), { ks: 0.5, threshold: 0.8 });
    assert.deepEqual(rocCurve(risk, target).map((p) => [p.fpr, p.tpr]), [[0, 0], [0, 0.5], [0.5, 1], [1, 1]]);
  });
});

describe('gains table', () => {
  it('groups of equal size, riskiest (lowest score) first, with cumulative shares and lift', () => {
    const scores = Float64Array.of(500, 510, 520, 530, 600, 610, 620, 630);
    const target = Uint8Array.of(1, 1, 1, 0, 1, 0, 0, 0);
    const rows = gainsTable(scores, target, 2);
    assert.equal(rows.length, 2);
    assert.deepEqual([rows[0]!.count, rows[0]!.bads, rows[0]!.minScore, rows[0]!.maxScore], [4, 3, 500, 530]);
    close(rows[0]!.badRate, 0.75);
    close(rows[0]!.cumulativeBadShare, 0.75);
    close(rows[0]!.cumulativeGoodShare, 0.25);
    close(rows[0]!.ks, 0.5);
    close(rows[0]!.lift, 1.5);
    close(rows[1]!.cumulativeBadShare, 1);
  });
});

describe('PSI', () => {
  it('by hand: (0.4 − 0.5) ln(0.4/0.5) + (0.6 − 0.5) ln(0.6/0.5) = 0.0405465', () => {
    close(psi([50, 50], [40, 60]), 0.1 * Math.log(0.5 / 0.4) + 0.1 * Math.log(1.2));
    close(psi([50, 50], [40, 60]), 0.0405465, 1e-7);
    const terms = psiContributions([50, 50], [40, 60]);
    close(terms[0]!, 0.0223144, 1e-7);
  });

  it('is 0 for the same distribution whatever the sizes', () => {
    close(psi([10, 20, 30], [100, 200, 300]), 0);
  });

  it('an empty bin is floored at 0.0001 of the population, so the PSI is large but finite', () => {
    // expected shares [1, 0→0.0001], actual [0.5, 0.5]
    close(psi([10, 0], [5, 5]), (0.5 - 1) * Math.log(0.5 / 1) + (0.5 - 0.0001) * Math.log(0.5 / 0.0001));
    assert.ok(Number.isFinite(psi([0, 10], [10, 0])));
  });
});
