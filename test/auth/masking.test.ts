import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskIdNumber, maskName, maskPersonalData, maskPhone } from '../../src/auth/masking.js';

describe('personal data masking', () => {
  it('keeps the region code and the last four of an ID number', () => {
    assert.equal(maskIdNumber('110101199003071234'), '110101********1234');
    assert.equal(maskIdNumber('44030119851231001X'), '440301********001X');
    assert.equal(maskIdNumber('1234'), '****');
  });

  it('keeps the carrier prefix and last four of a phone number', () => {
    assert.equal(maskPhone('13812345678'), '138****5678');
    assert.equal(maskPhone('138 1234 5678'), '138****5678');
    assert.equal(maskPhone('12345'), '*****');
  });

  it('keeps the family name', () => {
    assert.equal(maskName('张小明'), '张**');
    assert.equal(maskName('王五'), '王*');
    assert.equal(maskName('李'), '*');
  });

  it('masks ID numbers and phones at any depth of a record, leaving everything else as it was', () => {
    const record = { name: '杭州绿芽茶叶有限公司', owners: [{ name: '王芳', idNumber: '330106198001011235', phone: '13812345678', share: '0.60' }], contact: { phone: '13987654321' }, count: 2, note: null };
    assert.deepEqual(maskPersonalData(record), {
      name: '杭州绿芽茶叶有限公司',
      owners: [{ name: '王芳', idNumber: '330106********1235', phone: '138****5678', share: '0.60' }],
      contact: { phone: '139****4321' },
      count: 2,
      note: null,
    });
    assert.equal(maskPersonalData('13812345678'), '13812345678', 'only values under those keys are masked');
  });
});
