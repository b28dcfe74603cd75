/** Tables of collections (催收): assignments, contacts, promises to pay, steps (migration 0025). */
import type { CollectionStepKind, CollectionStepReason, CollectionStepStatus, ContactChannel, ContactOutcome, PromiseStatus } from '../../collections/collection-codes.js';
import type { Minor } from '../../money/minor.js';
import type { ColumnType } from 'kysely';
import type { DateColumn, MoneyColumn, Timestamp } from './columns.js';

export interface CollectionAssignmentTable {
  loan_id: string;
  /** The borrower, its parent's (migration 0071): the distribution column on Citus. */
  enterprise_id: string;
  /** The collector's username. */
  collector: string;
  assigned_by: string;
  assigned_on: DateColumn;
  assigned_at: Timestamp;
}

export interface CollectionContactTable {
  id: string;
  loan_id: string;
  enterprise_id: string;
  channel: ContactChannel;
  outcome: ContactOutcome;
  note: string;
  contacted_on: DateColumn;
  recorded_by: string;
  recorded_at: Timestamp;
}

export interface PromiseToPayTable {
  id: string;
  loan_id: string;
  enterprise_id: string;
  contact_id: string | null;
  amount: MoneyColumn;
  /** The business date the promise was made. */
  made_on: DateColumn;
  /** The date the borrower promised to have paid by. */
  promised_on: DateColumn;
  status: PromiseStatus;
  /** Repaid on the loan from `made_on` through the day end of day settled it; null while open. */
  repaid: ColumnType<Minor | null, Minor | null, Minor | null>;
  settled_on: DateColumn | null;
  recorded_by: string;
  recorded_at: Timestamp;
}

export interface CollectionStepTable {
  id: string;
  loan_id: string;
  enterprise_id: string;
  kind: CollectionStepKind;
  reason: CollectionStepReason;
  promise_id: string | null;
  note: string;
  due_on: DateColumn;
  status: CollectionStepStatus;
  created_by: string;
  created_on: DateColumn;
  created_at: Timestamp;
  done_by: string | null;
  done_on: DateColumn | null;
}

export interface CollectionsTables {
  collection_assignment: CollectionAssignmentTable;
  collection_contact: CollectionContactTable;
  promise_to_pay: PromiseToPayTable;
  collection_step: CollectionStepTable;
}
