import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CSV_BOM, csvLine, csvText, exportCsv, neutraliseFormula, parseCsvRows, parseCsvTable } from '../../src/csv/index.js';
import { ValidationError } from '../../src/errors.js';

describe('reading CSV (RFC 4180)', () => {
  it('reads quotes, doubled quotes, embedded commas and newlines, CRLF, LF and a final line without an end', () => {
    const text = 'name,note\r\n"甲公司","第一行\r\n第二行"\r\n"a ""b""",x,\n乙,"1,2"';
    assert.deepEqual(parseCsvRows(text, 'f.csv'), [
      ['name', 'note'],
      ['甲公司', '第一行\r\n第二行'],
      ['a "b"', 'x', ''],
      ['乙', '1,2'],
    ]);
  });

  it('drops a byte-order mark and skips blank lines', () => {
    assert.deepEqual(parseCsvRows('\uFEFFa,b\n\n1,2\r\n\r\n', 'f.csv'), [['a', 'b'], ['1', '2']]);
    assert.deepEqual(parseCsvRows('', 'f.csv'), []);
    assert.deepEqual(parseCsvRows('\uFEFF', 'f.csv'), []);
  });

  it('a trailing comma is an empty last field; an empty quoted field is an empty field', () => {
    assert.deepEqual(parseCsvRows('a,\n"",b', 'f.csv'), [['a', ''], ['', 'b']]);
  });

  it('an unclosed quote and text after a closing quote are errors naming the file and line', () => {
    assert.throws(() => parseCsvRows('a\n"x\ny', 'tax.csv'), (error: unknown) => error instanceof ValidationError && error.message === 'tax.csv: line 2: a quoted field is not closed');
    assert.throws(() => parseCsvRows('a\n"multi\nline"x\n', 'tax.csv'), (error: unknown) => error instanceof ValidationError && error.message === 'tax.csv: line 3: text after a closing quote');
  });

  it('a table needs a header of distinct names and rows of its width', () => {
    assert.deepEqual(parseCsvTable(' age ,class\n30,good\n', '--data'), { header: ['age', 'class'], rows: [['30', 'good']] });
    assert.throws(() => parseCsvTable('', '--data'), /--data: is empty/);
    assert.throws(() => parseCsvTable('a,a\n1,2', '--data'), /names column "a" twice/);
    assert.throws(() => parseCsvTable('a,b\n1\n', '--data'), /--data: line 2 has 1 fields, the header has 2/);
  });
});

describe('writing CSV', () => {
  it('quotes only fields that need it', () => {
    assert.equal(csvLine(['plain', 'a,b', 'say "hi"', 'two\nlines', '中文']), 'plain,"a,b","say ""hi""","two\nlines",中文');
    assert.equal(csvText([['a', 1, 2n, null, undefined, true]]), 'a,1,2,,,true\r\n');
  });

  it('an export starts with the UTF-8 byte-order mark and ends every record with CRLF', () => {
    const text = exportCsv([['名称', '余额'], ['甲公司', '650000.00']]);
    assert.equal(text, '\uFEFF名称,余额\r\n甲公司,650000.00\r\n');
    const bytes = Buffer.from(text, 'utf8');
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  });

  it('neutralises cells a spreadsheet would run as a formula, but not plain numbers', () => {
    assert.equal(neutraliseFormula('=HYPERLINK("http://x","y")'), `'=HYPERLINK("http://x","y")`);
    assert.equal(neutraliseFormula('+1+1'), "'+1+1");
    assert.equal(neutraliseFormula('-2+3'), "'-2+3");
    assert.equal(neutraliseFormula('@SUM(A1:A9)'), "'@SUM(A1:A9)");
    assert.equal(neutraliseFormula('\t=1'), "'\t=1");
    assert.equal(neutraliseFormula('-'), "'-");
    // Numbers stay numbers: a money column keeps its negative amounts.
    for (const number of ['-305.00', '-0.01', '+5', '-1.5e-7', '-.5', '305.00', '0']) assert.equal(neutraliseFormula(number), number);
    // Only the start matters.
    assert.equal(neutraliseFormula('a=b'), 'a=b');
    assert.equal(exportCsv([['=1+1', '-305.00', '@x,y']]), '\uFEFF\'=1+1,-305.00,"\'@x,y"\r\n');
  });

  it('round trip: what csvText writes, parseCsvRows reads back exactly (Chinese, quotes, commas, newlines)', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', '中', '文', '"', ',', '\n', '\r\n', ' ', '=', '-', '1') });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 8 }), (rows) => {
        assert.deepEqual(parseCsvRows(csvText(rows), 'f.csv'), rows);
      }),
      { numRuns: 300, seed: 12 },
    );
  });

  it('round trip of an export: the mark is dropped on reading and only formula-like cells gain a quote mark', () => {
    const rows = [['企业', '说明', '金额'], ['甲公司 "福州"', '第一行\n第二行', '-305.00'], ['=1+1', '@home', '+86 591']];
    assert.deepEqual(parseCsvRows(exportCsv(rows), 'f.csv'), [['企业', '说明', '金额'], ['甲公司 "福州"', '第一行\n第二行', '-305.00'], ["'=1+1", "'@home", "'+86 591"]]);
    assert.ok(exportCsv(rows).startsWith(CSV_BOM));
  });
});
