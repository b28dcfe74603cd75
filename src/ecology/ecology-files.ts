/**
 * The file side of the ecology index: the shipped NBS panel (src/ecology/data/, with its
 * SOURCE.md) and the files a bank gives on the command line. Everything else is pure.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ValidationError } from '../errors.js';
import { parseAhpJudgements } from './ahp-judgements.js';
import type { AhpJudgements } from './ecology-index.js';
import { parseIndicatorSystem, type IndicatorSystem } from './indicator-system.js';
import { parseLongPanel, parseWidePanel, type Panel } from './panel.js';

/** The shipped file: 31 provinces × 2018–2023, NBS 分省年度数据 (see SOURCE.md beside it). */
export const SHIPPED_DATA_FILE = fileURLToPath(new URL('./data/nbs_province_2018_2023.csv', import.meta.url));

let shipped: Panel | undefined;

/** The shipped panel, read and parsed once per process. */
export function shippedPanel(): Panel {
  shipped ??= parseWidePanel(readFileSync(SHIPPED_DATA_FILE, 'utf8'), 'nbs_province_2018_2023.csv');
  return shipped;
}

function readText(path: string, field: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ValidationError(field, `cannot read ${path}: ${(error as Error).message}`);
  }
}

/**
 * A panel file: the wide shape (a `province` or `region` column) or a bank's long shape (an
 * `indicator` and a `value` column), told apart by the header.
 */
export function readPanelFile(path: string): Panel {
  const text = readText(path, 'data');
  const header = (text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '').toLowerCase().split(',').map((cell) => cell.trim());
  return header.includes('indicator') && header.includes('value') ? parseLongPanel(text, basename(path)) : parseWidePanel(text, basename(path));
}

/** An indicator system file; its version is the file's name. */
export function readIndicatorFile(path: string): IndicatorSystem {
  return parseIndicatorSystem(readText(path, 'indicators'), `file:${basename(path)}`, basename(path));
}

export function readAhpFile(path: string, system: IndicatorSystem): AhpJudgements {
  return parseAhpJudgements(readText(path, 'ahp'), system, basename(path));
}
