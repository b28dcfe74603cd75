/** Sprout's version, from package.json, for `/health`, the OpenAPI document and `--version`. */
import { readFileSync } from 'node:fs';

export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
