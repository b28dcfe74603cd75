import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completeCreditCode, creditCodeCheckCharacter, isCreditCode, organisationCodeCheckCharacter, parseCreditCode } from '../../src/enterprises/credit-code.js';

// Published codes of well-known firms (business licences are public): both checks hold.
const REAL = ['91350100M000100Y43', '91440300708461136T', '91110108551385082Q', '91110000600037341L'];

describe('Unified Social Credit Code (GB 32100-2015)', () => {
  it('accepts published codes, and lower case, which it upper-cases', () => {
    for (const code of REAL) assert.equal(parseCreditCode(code), code);
    assert.equal(parseCreditCode(' 91350100m000100y43 '), '91350100M000100Y43');
  });

  it('computes the check character: Σ value × 3^i mod 31, then 31 − that, 31 written 0', () => {
    // 9·1 + 1·3 + 3·9 + 5·27 + 0 + 1·26 + 0 + 0 + M(21)·20 + 0 + 0 + 0 + 1·8 + 0 + 0 + Y(30)·30 + 4·28 = 1640;
    // 1640 mod 31 = 28; 31 − 28 = 3.
    assert.equal(creditCodeCheckCharacter('91350100M000100Y4'), '3');
    assert.equal(creditCodeCheckCharacter('91440300708461136'), 'T');
  });

  it('computes the organisation-code check (GB 11714): 11 − Σ value × weight mod 11, 10 → X, 11 → 0', () => {
    // M=22: 22·3 + 1·5 + Y(34)·2 = 139; 139 mod 11 = 7; 11 − 7 = 4.
    assert.equal(organisationCodeCheckCharacter('M000100Y'), '4');
    assert.equal(organisationCodeCheckCharacter('70846113'), '6');
    assert.equal(organisationCodeCheckCharacter('00000001'), '9'); // 2 → 11 − 2
    assert.equal(organisationCodeCheckCharacter('00000030'), 'X'); // 3·4 = 12 ≡ 1 → 10, written X
    assert.equal(organisationCodeCheckCharacter('00000000'), '0'); // 0 → 11, written 0
  });

  it('names the wrong character and the expected one', () => {
    assert.throws(() => parseCreditCode('91350100M000100Y44'), { code: 'VALIDATION', field: 'creditCode', message: "creditCode: character 18 '4' is wrong: the check character (GB 32100-2015) should be '3'" });
    assert.throws(() => parseCreditCode('91350100M000100Y53'), { field: 'creditCode', message: /character 17 '5' is wrong: the organisation code M000100Y5 \(GB 11714\) needs check character '4'/ });
    assert.throws(() => parseCreditCode('91350100M000100I43'), { field: 'creditCode', message: /character 16 'I' is not allowed/ });
    assert.throws(() => parseCreditCode('9135A100M000100Y43'), { message: /character 5 'A' must be a digit/ });
    assert.throws(() => parseCreditCode('91350100M000100Y4'), { message: /must be 18 characters .* got 17/ });
    assert.throws(() => parseCreditCode('91350100M000100Y44', 'owner.creditCode'), { field: 'owner.creditCode' });
  });

  it('can skip the organisation-code check for legacy data', () => {
    const body = '91350100M000100Y5';
    const code = body + creditCodeCheckCharacter(body);
    assert.equal(isCreditCode(code), false);
    assert.equal(isCreditCode(code, { checkOrganisationCode: false }), true);
  });

  it('completes 16 characters into a valid code', () => {
    assert.equal(completeCreditCode('91350100M000100Y'), '91350100M000100Y43');
  });
});
