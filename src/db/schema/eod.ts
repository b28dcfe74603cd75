/** Tables of end of day: runs and the chunks (ranges of loan ids) workers claim. */
import type { Generated } from 'kysely';
import type { DateColumn, MoneyColumn, Timestamp } from './columns.js';

export interface EodRunTable {
  id: string;
  business_date: DateColumn;
  shards_per_chunk: number;
  chunk_count: number;
  rules_version: string;
  /**
   * The inclusive definition version the night's report verdicts (`borrower_day`, `new_lending`)
   * were judged under; null for nights closed before migration 0051 (src/reporting/report-verdicts.ts).
   */
  verdicts: Generated<string | null>;
  status: 'running' | 'done';
  started_at: Timestamp;
  finished_at: Timestamp | null;
}

export interface EodChunkTable {
  run_id: string;
  chunk_no: number;
  /** Shards `shard_from <= shard < shard_to` (all shards for a chunk of ids). */
  shard_from: number;
  shard_to: number;
  /** Loan ids `id_from <= id < id_to`; null: unbounded (migration 0066). */
  id_from: string | null;
  id_to: string | null;
  /**
   * On Citus: the chunk's borrowers are those whose `enterprise_id` hashes (Citus's `worker_hash`)
   * into `[borrower_hash_min, borrower_hash_max]`, a part of one shard's range of `loan`; null: every
   * borrower (a single server, or a run opened before migration 0075).
   */
  borrower_hash_min: Generated<number | null>;
  borrower_hash_max: Generated<number | null>;
  status: 'pending' | 'claimed' | 'done';
  claimed_by: string | null;
  claimed_at: Timestamp | null;
  done_at: Timestamp | null;
  loans: number;
  interest: MoneyColumn;
  penalty: MoneyColumn;
  /**
   * The borrowers of the loans the chunk closed non-performing (substandard, doubtful, loss), a
   * borrower possibly more than once, for the debtor-level rule (src/eod/debtor-contagion.ts); null: not recorded (a run
   * opened before migration 0079, or a chunk done by an older process).
   */
  npl_borrowers: Generated<string[] | null>;
}

/**
 * A closing step a run has committed (migration 0077; src/eod/closing-steps.ts): its row is
 * inserted by the step's own transaction, so it exists exactly when the step's work does.
 */
export interface EodCloseStepTable {
  run_id: string;
  /** 'borrowers': the lower half of the night's `borrower_day` rows; 'verdicts' the upper half and the new lending. */
  step: 'rules' | 'notices' | 'borrowers' | 'verdicts' | 'snapshot';
  /** What the step counted: the loans the debtor rule moved, the borrowers judged (each half's), the notices written. */
  affected: Generated<bigint>;
  /** When the step began; the row is seen by others once the step committed. */
  started_at: Timestamp;
}

/** The scheduled end of day's lease and last outcome (migration 0049; src/eod/eod-scheduler.ts). */
export interface EodRunnerTable {
  id: number;
  holder: string | null;
  lease_until: Timestamp | null;
  last_started_at: Timestamp | null;
  last_finished_at: Timestamp | null;
  last_outcome: 'running' | 'done' | 'failed' | null;
  last_from: DateColumn | null;
  last_until: DateColumn | null;
  last_dates_closed: Generated<number>;
  last_message: Generated<string>;
}

export interface EodTables {
  eod_run: EodRunTable;
  eod_chunk: EodChunkTable;
  eod_close_step: EodCloseStepTable;
  eod_runner: EodRunnerTable;
}
