/** Tables of control: the hash-chained audit trail and maker-checker approval requests. */
import type { ColumnType } from 'kysely';
import type { Timestamp } from './columns.js';

export interface AuditStreamTable {
  stream: number;
  position: bigint;
  head_hash: string;
}

export interface AuditEventTable {
  stream: number;
  position: bigint;
  id: string;
  at: Timestamp;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  before: ColumnType<unknown, string | null, string | null>;
  after: ColumnType<unknown, string | null, string | null>;
  prev_hash: string;
  hash: string;
}

export interface ApprovalRequestTable {
  id: string;
  kind: string;
  subject_id: string;
  payload: ColumnType<unknown, string, string>;
  maker: string;
  made_at: Timestamp;
  status: 'pending' | 'approved' | 'rejected';
  checker: string | null;
  decided_at: Timestamp | null;
  result: ColumnType<unknown, string | null, string | null>;
}

export interface AuditTables {
  audit_stream: AuditStreamTable;
  audit_event: AuditEventTable;
  approval_request: ApprovalRequestTable;
}
