/**
 * Which connector serves each data source, chosen by configuration: a JSON file (`SPROUT_CONNECTORS`)
 * and environment variables, documented in docs/operations.md. One provider per source:
 *
 * - `simulated`: the deterministic simulator — the demo's, never a bank's (refused in production);
 * - `csv`: a directory the bank drops `<source>.csv` extracts into (csv-provider.ts);
 * - `http`: the source's own JSON-over-HTTP service (http-provider.ts);
 * - `credit-report-files`: a directory of credit-report summaries, for `credit-bureau` only
 *   (credit-report-import.ts);
 * - `none`: not connected.
 *
 * The environment overrides the file: `SPROUT_DATA_PROVIDER` for every source the file does not
 * name (`simulated`, `csv:<dir>`, `none`), `SPROUT_SOURCE_<SOURCE>` for one source
 * (`SPROUT_SOURCE_CREDIT_BUREAU=csv:/data/bureau`). Secrets never sit in the file: an HTTP
 * source names the environment variable that holds its token (`auth.valueEnv`) and the files of
 * its client certificate.
 *
 * With nothing configured, the demo runs on the simulator and production has no source at all —
 * `checkProductionConnectors` then refuses to start, naming what is missing.
 *
 * @example
 * const connectors = await loadConnectors({ env: process.env, mode: 'production' });
 * connectors.provider.sources; // ['tax', 'electricity', …]
 */
import { readFile } from 'node:fs/promises';
import { ValidationError } from '../errors.js';
import { csvProviderFromDirectory } from './csv-provider.js';
import { creditReportProviderFromDirectory } from './credit-report-import.js';
import { checkDataRequest, type DataProvider, type DataRequest, type PersonCourtRequest } from './data-provider.js';
import { DATA_SOURCES, parseDataSource, type DataSource, type SourceRecordMap } from './data-records.js';
import { httpProvider, type FieldMapping } from './http-provider.js';
import { simulatedProvider } from './simulated-provider.js';

/** The simulator's seed when none is configured: the demo's and the default model's. */
export const DEFAULT_SIMULATION_SEED = 2025;

/** The kinds of connector. */
export const CONNECTOR_KINDS = ['simulated', 'csv', 'http', 'credit-report-files', 'none'] as const;
export type ConnectorKind = (typeof CONNECTOR_KINDS)[number];

/** One source's connector as configured. */
export type SourceConnector =
  | { readonly provider: 'simulated'; readonly seed?: number }
  | { readonly provider: 'csv'; readonly directory: string }
  | { readonly provider: 'credit-report-files'; readonly directory: string }
  | { readonly provider: 'none' }
  | {
      readonly provider: 'http';
      readonly baseUrl: string;
      readonly path?: string;
      /** The header, and the environment variable holding its value ("Bearer …"). */
      readonly auth?: { readonly header: string; readonly valueEnv: string };
      /** Mutual TLS: files of the client certificate, its key, and the CA to trust (PEM). */
      readonly tls?: { readonly certFile: string; readonly keyFile: string; readonly caFile?: string };
      readonly mapping: FieldMapping;
      readonly timeoutMs?: number;
      readonly retries?: number;
      readonly backoffMs?: number;
      readonly breakerFailures?: number;
      readonly breakerOpenMs?: number;
      readonly ratePerSecond?: number;
    };

/** The configuration file's content. */
export interface ConnectorConfig {
  readonly sources: Partial<Record<DataSource, SourceConnector>>;
}

/** What was loaded: the provider the server uses and, per source, the kind of connector serving it. */
export interface Connectors {
  readonly provider: DataProvider;
  readonly kinds: Readonly<Record<DataSource, ConnectorKind>>;
}

/** The environment variable that overrides one source: `SPROUT_SOURCE_SOCIAL_SECURITY`. */
export function sourceVariable(source: DataSource): string {
  return `SPROUT_SOURCE_${source.toUpperCase().replace(/-/g, '_')}`;
}

/**
 * Reads the short form used in the environment: `simulated`, `simulated:SEED`, `csv:<dir>`,
 * `credit-report-files:<dir>`, `none`.
 *
 * @example
 * parseConnectorText('csv:/data/extract', 'SPROUT_SOURCE_TAX'); // { provider: 'csv', directory: '/data/extract' }
 */
export function parseConnectorText(text: string, field: string): SourceConnector {
  const [kind, ...rest] = text.trim().split(':');
  const argument = rest.join(':');
  switch (kind) {
    case 'simulated':
      if (argument === '') return { provider: 'simulated' };
      if (!/^[0-9]{1,9}$/.test(argument)) throw new ValidationError(field, `simulated:SEED needs a whole number, got "${argument}"`);
      return { provider: 'simulated', seed: Number(argument) };
    case 'csv':
    case 'credit-report-files':
      if (argument === '') throw new ValidationError(field, `${kind}:<directory> needs a directory`);
      return { provider: kind, directory: argument };
    case 'none':
      return { provider: 'none' };
    default:
      throw new ValidationError(field, `must be simulated, simulated:SEED, csv:<directory>, credit-report-files:<directory> or none (an http source is configured in the SPROUT_CONNECTORS file), got "${text}"`);
  }
}

/**
 * Checks the configuration file's content (after JSON.parse), naming the first bad field.
 *
 * @example
 * parseConnectorConfig({ sources: { tax: { provider: 'csv', directory: '/data' } } });
 */
export function parseConnectorConfig(value: unknown, where = 'SPROUT_CONNECTORS'): ConnectorConfig {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ValidationError(where, 'must be an object { "sources": { … } }');
  const extra = Object.keys(value).filter((k) => k !== 'sources');
  if (extra.length > 0) throw new ValidationError(`${where}: ${extra[0]}`, 'is not a setting (the file has "sources")');
  const sources = (value as { sources?: unknown }).sources ?? {};
  if (sources === null || typeof sources !== 'object' || Array.isArray(sources)) throw new ValidationError(`${where}: sources`, 'must be an object by source name');
  const parsed: Partial<Record<DataSource, SourceConnector>> = {};
  for (const [name, connector] of Object.entries(sources as Record<string, unknown>)) {
    const source = parseDataSource(name, `${where}: sources`);
    const field = `${where}: sources.${source}`;
    if (typeof connector === 'string') {
      parsed[source] = parseConnectorText(connector, field);
      if (parsed[source].provider === 'credit-report-files' && source !== 'credit-bureau') throw new ValidationError(`${field}.provider`, 'credit-report-files serves credit-bureau only');
      continue;
    }
    if (connector === null || typeof connector !== 'object') throw new ValidationError(field, 'must be an object with "provider"');
    const c = connector as Record<string, unknown>;
    if (!CONNECTOR_KINDS.includes(c.provider as ConnectorKind)) throw new ValidationError(`${field}.provider`, `must be one of ${CONNECTOR_KINDS.join(', ')}`);
    if ((c.provider === 'csv' || c.provider === 'credit-report-files') && (typeof c.directory !== 'string' || c.directory === '')) throw new ValidationError(`${field}.directory`, 'is required');
    if (c.provider === 'credit-report-files' && source !== 'credit-bureau') throw new ValidationError(`${field}.provider`, 'credit-report-files serves credit-bureau only');
    if (c.provider === 'simulated' && c.seed !== undefined && !Number.isInteger(c.seed)) throw new ValidationError(`${field}.seed`, 'must be a whole number');
    if (c.provider === 'http') {
      if (typeof c.baseUrl !== 'string') throw new ValidationError(`${field}.baseUrl`, 'is required');
      if (c.mapping === null || typeof c.mapping !== 'object') throw new ValidationError(`${field}.mapping`, 'is required: where the records and their fields are in the answer');
      const auth = c.auth as Record<string, unknown> | undefined;
      if (auth !== undefined && (typeof auth.header !== 'string' || typeof auth.valueEnv !== 'string')) throw new ValidationError(`${field}.auth`, 'needs header and valueEnv (the environment variable holding the value)');
      const tls = c.tls as Record<string, unknown> | undefined;
      if (tls !== undefined && (typeof tls.certFile !== 'string' || typeof tls.keyFile !== 'string')) throw new ValidationError(`${field}.tls`, 'needs certFile and keyFile (and caFile to trust a private CA)');
    }
    parsed[source] = connector as SourceConnector;
  }
  return { sources: parsed };
}

/**
 * The connector of each source: the file's, overridden by `SPROUT_DATA_PROVIDER` for sources the
 * file leaves out and by `SPROUT_SOURCE_<SOURCE>`; with neither, the simulator in the demo and
 * nothing in production.
 */
export function resolveConnectors(config: ConnectorConfig, env: NodeJS.ProcessEnv, mode: 'demo' | 'production'): Record<DataSource, SourceConnector> {
  const fallbackText = env.SPROUT_DATA_PROVIDER;
  const fallback: SourceConnector = fallbackText !== undefined && fallbackText !== '' ? parseConnectorText(fallbackText, 'SPROUT_DATA_PROVIDER') : mode === 'demo' ? { provider: 'simulated' } : { provider: 'none' };
  const resolved = {} as Record<DataSource, SourceConnector>;
  for (const source of DATA_SOURCES) {
    const override = env[sourceVariable(source)];
    resolved[source] = override !== undefined && override !== '' ? parseConnectorText(override, sourceVariable(source)) : (config.sources[source] ?? fallback);
    if (resolved[source].provider === 'credit-report-files' && source !== 'credit-bureau') throw new ValidationError(sourceVariable(source), 'credit-report-files serves credit-bureau only');
  }
  return resolved;
}

/**
 * Builds the provider the server, the CLI and end of day use. CSV directories and report files are
 * read once here (one reader per directory), HTTP connectors made with their secrets from `env`.
 *
 * @example
 * const { provider, kinds } = await buildConnectors(resolveConnectors(config, process.env, 'demo'), process.env);
 */
export async function buildConnectors(connectors: Readonly<Record<DataSource, SourceConnector>>, env: NodeJS.ProcessEnv): Promise<Connectors> {
  const bySource: Partial<Record<DataSource, DataProvider>> = {};
  const directories = new Map<string, Promise<DataProvider>>();
  const simulators = new Map<number, DataProvider>();
  const kinds = {} as Record<DataSource, ConnectorKind>;
  for (const source of DATA_SOURCES) {
    const connector = connectors[source];
    kinds[source] = connector.provider;
    switch (connector.provider) {
      case 'none':
        break;
      case 'simulated': {
        const seed = connector.seed ?? DEFAULT_SIMULATION_SEED;
        if (!simulators.has(seed)) simulators.set(seed, simulatedProvider({ seed }));
        bySource[source] = simulators.get(seed)!;
        break;
      }
      case 'csv': {
        const key = `csv|${connector.directory}`;
        if (!directories.has(key)) directories.set(key, csvProviderFromDirectory(connector.directory));
        const provider = await directories.get(key)!;
        if (!provider.sources.includes(source)) throw new ValidationError(sourceVariable(source), `${connector.directory} has no ${source}.csv`);
        bySource[source] = provider;
        break;
      }
      case 'credit-report-files':
        bySource[source] = await creditReportProviderFromDirectory(connector.directory);
        break;
      case 'http': {
        const secret = connector.auth === undefined ? undefined : env[connector.auth.valueEnv];
        if (connector.auth !== undefined && (secret === undefined || secret === '')) throw new ValidationError(connector.auth.valueEnv, `is not set: the ${source} source's ${connector.auth.header} header`);
        const tls = connector.tls === undefined ? undefined : { cert: await readFile(connector.tls.certFile, 'utf8'), key: await readFile(connector.tls.keyFile, 'utf8'), ...(connector.tls.caFile === undefined ? {} : { ca: await readFile(connector.tls.caFile, 'utf8') }) };
        const { provider: _kind, auth: _auth, tls: _tls, ...knobs } = connector;
        bySource[source] = httpProvider({ ...knobs, source, ...(secret === undefined ? {} : { auth: { header: connector.auth!.header, value: secret } }), ...(tls === undefined ? {} : { tls }) });
        break;
      }
    }
  }
  return { provider: routedProvider(bySource), kinds };
}

/**
 * One provider over several, each serving its sources: what the rest of Sprout sees. Its name,
 * recorded with every pull, says which connector served which source.
 *
 * @example
 * routedProvider({ tax: taxHttp, electricity: powerCsv }).sources; // ['tax', 'electricity']
 */
export function routedProvider(bySource: Readonly<Partial<Record<DataSource, DataProvider>>>): DataProvider {
  const sources = DATA_SOURCES.filter((s) => bySource[s] !== undefined);
  const distinct = [...new Set(sources.map((s) => bySource[s]!))];
  // One provider for everything (the demo): its own name, as before.
  const name = distinct.length === 1 && distinct[0]!.sources.every((s) => bySource[s] === distinct[0]) && sources.length === distinct[0]!.sources.length
    ? distinct[0]!.name
    : sources.map((s) => `${s}=${bySource[s]!.name}`).join(';') || 'none';
  return {
    name,
    sources,
    async fetch<S extends DataSource>(request: DataRequest<S>): Promise<readonly SourceRecordMap[S][]> {
      checkDataRequest(request, sources);
      return bySource[request.source]!.fetch(request);
    },
    // A person's court records come from the connector that serves the courts, if it has them.
    ...(bySource.courts?.personCourts === undefined ? {} : { personCourts: (request: PersonCourtRequest) => bySource.courts!.personCourts!(request) }),
  };
}

/**
 * Loads the configuration from the environment: the file named by `SPROUT_CONNECTORS` (if any)
 * and the variables, then builds the connectors.
 *
 * @example
 * const connectors = await loadConnectors({ env: process.env, mode: 'demo' });
 */
export async function loadConnectors(options: { readonly env: NodeJS.ProcessEnv; readonly mode: 'demo' | 'production' }): Promise<Connectors> {
  const file = options.env.SPROUT_CONNECTORS;
  let config: ConnectorConfig = { sources: {} };
  if (file !== undefined && file !== '') {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new ValidationError('SPROUT_CONNECTORS', `cannot read ${file}: ${(error as Error).message}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ValidationError('SPROUT_CONNECTORS', `${file} is not JSON`);
    }
    config = parseConnectorConfig(json, file);
  }
  return buildConnectors(resolveConnectors(config, options.env, options.mode), options.env);
}

/**
 * The sources the decision needs: it pulls every source for every application
 * (`apply-for-credit.ts`), and its features read each of them.
 */
export const SOURCES_THE_POLICY_NEEDS: readonly DataSource[] = DATA_SOURCES;

/**
 * Production refuses to start on the simulator or without a source the policy needs; the answer
 * says which sources, so the operator can fix the configuration in one go. Returns the problems
 * (empty: fine).
 *
 * @example
 * productionProblems({ ...kinds, tax: 'simulated', courts: 'none' }, SOURCES_THE_POLICY_NEEDS);
 * // ['tax uses the simulated provider (demo data)', 'courts has no provider (set …)']
 */
export function productionProblems(kinds: Readonly<Record<DataSource, ConnectorKind>>, needed: readonly DataSource[] = SOURCES_THE_POLICY_NEEDS): string[] {
  const problems: string[] = [];
  const simulated = DATA_SOURCES.filter((s) => kinds[s] === 'simulated');
  const missing = needed.filter((s) => kinds[s] === 'none');
  if (simulated.length > 0) problems.push(`the simulated provider (demo data) serves ${simulated.join(', ')}`);
  if (missing.length > 0) problems.push(`no provider for ${missing.join(', ')}, which the decision policy needs (set it in the SPROUT_CONNECTORS file or ${missing.map(sourceVariable).join(', ')})`);
  return problems;
}

/**
 * The connectors a process starts with: loaded from the environment, and in production refused
 * (a `VALIDATION` error on `connectors` naming every problem) on the simulator or with a needed
 * source unconnected. `sprout serve`, the CLI commands that pull data and end of day call it.
 *
 * @example
 * const { provider } = await connectorsForMode(process.env, 'production');
 */
export async function connectorsForMode(env: NodeJS.ProcessEnv, mode: 'demo' | 'production'): Promise<Connectors> {
  const connectors = await loadConnectors({ env, mode });
  if (mode === 'production') {
    const problems = productionProblems(connectors.kinds);
    if (problems.length > 0) throw new ValidationError('connectors', `production mode refuses to start: ${problems.join('; ')}. Configure each source (docs/operations.md), or run the demo with --mode demo`);
  }
  return connectors;
}
