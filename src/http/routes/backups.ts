/**
 * A backup of the embedded database while the server runs: the server owns the PGlite data
 * directory (data-dir-lock.ts), so the copy is taken here, between queries, by the process that
 * holds it (src/system/backup.ts). Administrators only; every backup is an audit record.
 * `sprout backup --server URL` calls this. On PostgreSQL, backups are the server's own
 * (pg_basebackup and WAL archiving, docs/operations.md).
 */
import { Type } from '@sinclair/typebox';
import { appendAudit } from '../../audit/audit-trail.js';
import { inTransaction } from '../../db/transaction.js';
import { ConflictError } from '../../errors.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { caller, roles } from '../access.js';

export function backupRoutes(app: TypedApp, context: AppContext): void {
  app.post(
    '/v1/backups',
    {
      config: { access: roles('admin') },
      schema: {
        summary: 'Take a consistent backup of the embedded database now and download it (administrators; audited)',
        description:
          'The file `sprout restore FILE --data-dir DIR` restores: a manifest (Sprout version, last migration, created at, trial balance totals, audit head hash), the data directory and the audit checkpoints, with a SHA-256 checksum. The manifest is also in the `x-sprout-backup-manifest` header. CONFLICT on PostgreSQL, whose backups are pg_basebackup and WAL archiving.',
        tags: ['operations'],
        response: { 200: Type.String({ description: 'application/octet-stream: the backup file' }) },
      },
    },
    async (request, reply) => {
      if (context.backup === undefined) {
        throw new ConflictError(`this server's database (${context.backend}) is not backed up through Sprout: use pg_basebackup and WAL archiving (docs/operations.md)`);
      }
      const { bytes, manifest } = await context.backup();
      await inTransaction(context.db, (trx) =>
        appendAudit(trx, {
          actor: caller(request).username,
          action: 'backup.create',
          entityType: 'backup',
          entityId: manifest.createdAt,
          after: { bytes: bytes.length, checksum: manifest.checksum, lastMigration: manifest.lastMigration, totalDebit: manifest.trialBalance.totalDebit, totalCredit: manifest.trialBalance.totalCredit, auditHeadHash: manifest.audit.headHash },
        }),
      );
      const { parts: _parts, ...summary } = manifest;
      return reply
        .header('content-type', 'application/octet-stream')
        .header('content-disposition', `attachment; filename="sprout-${manifest.createdAt.replace(/[:.]/g, '-')}.backup"`)
        .header('x-sprout-backup-manifest', JSON.stringify(summary))
        .send(bytes as unknown as string);
    },
  );
}
