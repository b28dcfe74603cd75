/**
 * Printable documents (src/documents/): the signed credit contract, each loan's note (借据) and
 * each repayment's receipt, as an A4 HTML print view (`?format=html`, the default, shown inline)
 * or a PDF (`?format=pdf`, a download). The borrower sees its own; staff who see loans see all.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { printDocumentHtml } from '../../documents/document-html.js';
import { printDocumentPdf } from '../../documents/document-pdf.js';
import { contractPrintDocument, loanNoteDocument, repaymentReceiptDocument, type PrintDocument } from '../../documents/print-documents.js';
import type { Role } from '../../auth/roles.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { caller, roles } from '../access.js';
import { assertCanSee, IdParams } from './servicing-schemas.js';

const READERS: Role[] = ['borrower', 'account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'];
const Format = Type.Object({ format: Type.Optional(Type.Union([Type.Literal('html'), Type.Literal('pdf')], { description: 'html (default): the A4 print view; pdf: a PDF with an embedded Chinese font' })) }, { additionalProperties: false });
const Printed = { 200: Type.String({ description: 'text/html or application/pdf' }) };

async function send(reply: FastifyReply, document: PrintDocument, format: 'html' | 'pdf' | undefined): Promise<FastifyReply> {
  if (format === 'pdf') {
    const bytes = await printDocumentPdf(document);
    return reply.header('content-type', 'application/pdf').header('content-disposition', `attachment; filename="${document.number}.pdf"`).send(bytes);
  }
  return reply.header('content-type', 'text/html; charset=utf-8').header('content-disposition', `inline; filename="${document.number}.html"`).send(printDocumentHtml(document));
}

export function documentRoutes(app: TypedApp, context: AppContext): void {
  const { db } = context;
  const loanOwner = async (loanId: string) => (await db.selectFrom('loan').select('enterprise_id').where('id', '=', loanId).executeTakeFirst())?.enterprise_id ?? '';

  app.get(
    '/v1/applications/:id/contract/print',
    {
      config: { access: roles(...READERS) },
      schema: {
        summary: 'The signed credit contract to print: amount, rate, dates, the full text and the digest recorded at signing (A4 HTML or PDF; NOT_FOUND before signing)',
        tags: ['documents'],
        params: IdParams,
        querystring: Format,
        response: Printed,
      },
    },
    async (request, reply) => {
      const owner = await db.selectFrom('application').select('enterprise_id').where('id', '=', request.params.id).executeTakeFirst();
      // Whose it is before what it holds: a borrower learns nothing of another's application.
      assertCanSee(caller(request), owner?.enterprise_id ?? '', `application ${request.params.id}`);
      const document = await contractPrintDocument(db, request.params.id);
      return send(reply, document, request.query.format);
    },
  );

  app.get(
    '/v1/loans/:id/note',
    {
      config: { access: roles(...READERS) },
      schema: { summary: "A loan's note (借据) to print: note number, contract, amount, rate, dates, schedule (A4 HTML or PDF)", tags: ['documents'], params: IdParams, querystring: Format, response: Printed },
    },
    async (request, reply) => {
      assertCanSee(caller(request), await loanOwner(request.params.id), `loan ${request.params.id}`);
      const document = await loanNoteDocument(db, request.params.id);
      return send(reply, document, request.query.format);
    },
  );

  app.get(
    '/v1/loans/:id/repayments/:entryId/receipt',
    {
      config: { access: roles(...READERS) },
      schema: {
        summary: 'The receipt of one repayment (its journal entry, as GET /v1/loans/{id}/repayments lists): amount and what it paid (A4 HTML or PDF)',
        tags: ['documents'],
        params: Type.Object({ id: Type.String({ format: 'uuid' }), entryId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
        querystring: Format,
        response: Printed,
      },
    },
    async (request, reply) => {
      assertCanSee(caller(request), await loanOwner(request.params.id), `loan ${request.params.id}`);
      const document = await repaymentReceiptDocument(db, request.params.id, request.params.entryId);
      return send(reply, document, request.query.format);
    },
  );
}
