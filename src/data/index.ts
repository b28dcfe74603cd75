/**
 * Data sharing (信息共享): the records, the provider interface and its two built-in providers
 * (simulated, CSV), authorisations, and pulling data under them.
 *
 * @example
 * import { simulatedProvider, grantDataAuthorisation, pullData } from './data/index.js';
 */
export * from './data-records.js';
export { checkDataRequest, checkPersonRequest, selectWindow, compareRecords, MAX_MONTHS, type DataProvider, type DataRequest, type DataSubject, type CheckedRequest, type PersonCourtRequest, type CourtRecord } from './data-provider.js';
export { personKey, parsePersonKey, type PersonKey } from './person-key.js';
export { simulatedProvider, simulatedRecords, simulatedPersonCourts, type SimulatedProviderOptions } from './simulated-provider.js';
export {
  simulatedFirm,
  simulatedPopulation,
  simulatedCreditCode,
  simulatedDefault,
  simulatedEnterpriseInput,
  SIMULATION_ANCHOR,
  SIMULATED_DEFAULT_MODEL,
  INDUSTRY_PATTERNS,
  SIMULATED_REGIONS,
  type SimulatedFirm,
  type SimulatedOutcome,
  type PopulationOptions,
} from './simulated-firm.js';
export { csvProvider, csvProviderFromDirectory, parseSourceCsv, sourceCsv, csvFileName, CSV_COLUMNS, parsePersonCourtsCsv, personCourtsCsv, PERSON_COURTS_FILE, PERSON_COURTS_COLUMNS, type CsvProviderOptions } from './csv-provider.js';
export { encodeRecord, decodeRecord, RECORD_KINDS } from './record-fields.js';
export {
  grantDataAuthorisation,
  revokeDataAuthorisation,
  listDataAuthorisations,
  authorisationsCovering,
  authorisationsCoveringFrom,
  grantsInForceJson,
  parseDataPurpose,
  parseDataSources,
  chinaDate,
  DataNotAuthorisedError,
  DATA_PURPOSES,
  MAX_AUTHORISATION_DAYS,
  type DataAuthorisation,
  type DataPurpose,
  type GrantInput,
  type GrantInForce,
} from './authorisations.js';
export { pullData, fetchPull, withStoredPull, pullWithRecordSets, loadPulledData, DEFAULT_PULL_MONTHS, MAX_RECORDS_PER_SOURCE, type PullOptions, type PullResult, type StoredPull } from './pull-data.js';
export { httpProvider, mapRecords, type HttpProvider, type HttpProviderOptions, type FieldMapping, type MutualTls, type BreakerState } from './http-provider.js';
export { creditReportProvider, creditReportProviderFromDirectory, parseCreditReportJson, parseCreditReportXml, type CreditReport } from './credit-report-import.js';
export {
  loadConnectors,
  connectorsForMode,
  buildConnectors,
  resolveConnectors,
  routedProvider,
  parseConnectorConfig,
  parseConnectorText,
  productionProblems,
  sourceVariable,
  CONNECTOR_KINDS,
  DEFAULT_SIMULATION_SEED,
  SOURCES_THE_POLICY_NEEDS,
  type ConnectorConfig,
  type ConnectorKind,
  type Connectors,
  type SourceConnector,
} from './connectors.js';
