/** Tables of the regional financial ecology index (`src/ecology/`). */
import type { ColumnType } from 'kysely';

/** One value of a bank-loaded regional indicator (migration 0017). */
export interface RegionalIndicatorTable {
  /** The province's GB/T 2260 code, e.g. '220000'. */
  region_code: string;
  year: number;
  indicator: string;
  value: number;
  source: string;
  imported_by: string;
  imported_at: ColumnType<Date, Date, Date>;
}

export interface EcologyTables {
  regional_indicator: RegionalIndicatorTable;
}
