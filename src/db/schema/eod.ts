/** Tables of end of day: runs and the chunks of shards workers claim. */
import type { DateColumn, MoneyColumn, Timestamp } from './columns.js';

export interface EodRunTable {
  id: string;
  business_date: DateColumn;
  shards_per_chunk: number;
  chunk_count: number;
  rules_version: string;
  status: 'running' | 'done';
  started_at: Timestamp;
  finished_at: Timestamp | null;
}

export interface EodChunkTable {
  run_id: string;
  chunk_no: number;
  /** Shards `shard_from <= shard < shard_to`. */
  shard_from: number;
  shard_to: number;
  status: 'pending' | 'claimed' | 'done';
  claimed_by: string | null;
  claimed_at: Timestamp | null;
  done_at: Timestamp | null;
  loans: number;
  interest: MoneyColumn;
  penalty: MoneyColumn;
}

export interface EodTables {
  eod_run: EodRunTable;
  eod_chunk: EodChunkTable;
}
