/**
 * The database schema as Kysely sees it: one `Database` with every table, keyed by its SQL name.
 *
 * The tables are declared by area in `schema/<area>.ts`, each exporting `<Area>Tables`; `Database`
 * extends them all. A new area adds its file and one line here:
 * `export interface Database extends <Area>Tables {}` (declarations of an interface merge).
 * Keep the tables in step with `migrations/`.
 *
 * Money columns are `Minor`, business dates `BusinessDate`, rates `RateUnits`, on reads and writes
 * (`schema/columns.ts`); domain types (`Classification`, `Role`…) come from their domain folders.
 */
import type { AccessTables } from './schema/access.js';
import type { AuditTables } from './schema/audit.js';
import type { CalendarTables } from './schema/calendar.js';
import type { CollateralTables } from './schema/collateral.js';
import type { CollectionsTables } from './schema/collections.js';
import type { EcologyTables } from './schema/ecology.js';
import type { EodTables } from './schema/eod.js';
import type { HistoryTables } from './schema/history.js';
import type { IdentityTables } from './schema/identity.js';
import type { LedgerTables } from './schema/ledger.js';
import type { LinesTables } from './schema/lines.js';
import type { MonitoringTables } from './schema/monitoring.js';
import type { NotificationTables } from './schema/notifications.js';
import type { OriginationTables } from './schema/origination.js';
import type { ProductsTables } from './schema/products.js';
import type { ReportingTables } from './schema/reporting.js';
import type { ServicingTables } from './schema/servicing.js';
import type { SupplyChainTables } from './schema/supply-chain.js';
import type { SystemTables } from './schema/system.js';

export type * from './schema/access.js';
export type * from './schema/audit.js';
export type * from './schema/calendar.js';
export type * from './schema/collateral.js';
export type * from './schema/collections.js';
export type * from './schema/columns.js';
export type * from './schema/ecology.js';
export type * from './schema/eod.js';
export type * from './schema/history.js';
export type * from './schema/identity.js';
export type * from './schema/ledger.js';
export type * from './schema/lines.js';
export type * from './schema/monitoring.js';
export type * from './schema/notifications.js';
export type * from './schema/origination.js';
export type * from './schema/products.js';
export type * from './schema/reporting.js';
export type * from './schema/servicing.js';
export type * from './schema/system.js';

/** @deprecated Import from `classification/classification.js`; re-exported so older imports compile. */
export type { Classification } from '../classification/classification.js';
/** @deprecated Import from `prospects/prescreen.js`; re-exported so older imports compile. */
export type { ProspectSource } from '../prospects/prescreen.js';

/** Every table, keyed by its SQL name. */
export interface Database
  extends SystemTables,
    AccessTables,
    LedgerTables,
    ProductsTables,
    OriginationTables,
    LinesTables,
    ServicingTables,
    EodTables,
    AuditTables,
    ReportingTables,
    IdentityTables,
    EcologyTables,
    CollateralTables,
    HistoryTables,
    CalendarTables,
    CollectionsTables,
    MonitoringTables,
    NotificationTables,
    SupplyChainTables {}
