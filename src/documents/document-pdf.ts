/**
 * A printable document as PDF (A4), with pdfkit. Chinese needs a CJK font embedded (the PDF
 * standard fonts have no Chinese glyphs): the first of `SPROUT_PDF_FONT` or the system fonts in
 * CJK_FONT_CANDIDATES that exists is embedded, subset to the glyphs used. With none installed a
 * PDF is refused (UNAVAILABLE, naming the package to install) rather than printed with blank
 * boxes where the Chinese should be; the HTML print view works without it (docs/decisions.md).
 */
import { existsSync } from 'node:fs';
import { SproutError } from '../errors.js';
import type { PrintDocument } from './print-documents.js';

/** Fonts tried in order: a TrueType collection needs the face's PostScript name. */
export const CJK_FONT_CANDIDATES: readonly { readonly path: string; readonly face?: string }[] = [
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', face: 'WenQuanYiMicroHei' }, // Debian fonts-wqy-microhei
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' }, // Debian fonts-noto-cjk
  { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', face: 'WenQuanYiZenHei' }, // Debian fonts-wqy-zenhei
];

/** The CJK font to embed: `SPROUT_PDF_FONT` (a .ttf/.otf, or `path.ttc#Face`) or the first candidate present; null when none is. */
export function cjkFont(env: Readonly<Record<string, string | undefined>> = process.env): { path: string; face?: string } | null {
  const configured = env['SPROUT_PDF_FONT'];
  if (configured !== undefined && configured !== '') {
    const [path, face] = configured.split('#');
    return existsSync(path!) ? { path: path!, ...(face === undefined ? {} : { face }) } : null;
  }
  return CJK_FONT_CANDIDATES.find((font) => existsSync(font.path)) ?? null;
}

const A4_MARGIN = 50;

/**
 * @example
 * const bytes = await printDocumentPdf(await contractPrintDocument(db, applicationId)); // %PDF-1.3 …
 */
export async function printDocumentPdf(document: PrintDocument, options: { readonly font?: { path: string; face?: string } | null; readonly compress?: boolean } = {}): Promise<Buffer> {
  const font = options.font === undefined ? cjkFont() : options.font;
  if (font === null) {
    throw new SproutError('UNAVAILABLE', 'no Chinese font to embed in a PDF: install fonts-wqy-microhei (Debian/Ubuntu) or set SPROUT_PDF_FONT to a CJK .ttf/.otf; the HTML print view works without one', 'format');
  }
  // Loaded when a PDF is asked for, not by every process that starts Sprout.
  const { default: PDFDocument } = await import('pdfkit');
  const pdf = new PDFDocument({ size: 'A4', margin: A4_MARGIN, compress: options.compress ?? true, info: { Title: `${document.title.zh} ${document.number}`, Subject: document.title.en, Creator: 'Sprout' } });
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    pdf.on('end', resolve);
    pdf.on('error', reject);
  });
  pdf.registerFont('cjk', font.path, font.face);
  pdf.font('cjk');
  const width = pdf.page.width - 2 * A4_MARGIN;

  pdf.fontSize(18).text(document.title.zh, { align: 'center' });
  pdf.fontSize(10).fillColor('#444').text(`${document.title.en} · ${document.number}`, { align: 'center' }).fillColor('#000');
  pdf.moveDown(1);

  const labelWidth = width * 0.38;
  const row = (label: string, value: string) => {
    const y = pdf.y;
    const height = Math.max(pdf.heightOfString(label, { width: labelWidth - 8 }), pdf.heightOfString(value, { width: width - labelWidth - 8 })) + 6;
    if (y + height > pdf.page.height - A4_MARGIN) pdf.addPage();
    const top = pdf.y;
    pdf.rect(A4_MARGIN, top, labelWidth, height).fillAndStroke('#f1f1f1', '#888').fillColor('#000');
    pdf.rect(A4_MARGIN + labelWidth, top, width - labelWidth, height).stroke('#888');
    pdf.text(label, A4_MARGIN + 4, top + 3, { width: labelWidth - 8 });
    pdf.text(value, A4_MARGIN + labelWidth + 4, top + 3, { width: width - labelWidth - 8 });
    pdf.x = A4_MARGIN;
    pdf.y = top + height;
  };
  pdf.fontSize(10);
  for (const field of document.fields) row(`${field.label.zh} ${field.label.en}`, field.value);
  pdf.moveDown(1);

  if (document.table !== undefined) {
    const { columns, rows, caption } = document.table;
    pdf.fontSize(11).text(`${caption.zh} ${caption.en}`, A4_MARGIN, pdf.y);
    pdf.fontSize(9);
    const cell = width / columns.length;
    const line = (cells: readonly string[], header: boolean) => {
      if (pdf.y + 16 > pdf.page.height - A4_MARGIN) pdf.addPage();
      const top = pdf.y;
      cells.forEach((text, i) => {
        if (header) pdf.rect(A4_MARGIN + i * cell, top, cell, 16).fillAndStroke('#f1f1f1', '#888').fillColor('#000');
        else pdf.rect(A4_MARGIN + i * cell, top, cell, 16).stroke('#888');
        pdf.text(text, A4_MARGIN + i * cell + 3, top + 4, { width: cell - 6, align: !header && i >= 2 ? 'right' : 'left', lineBreak: false });
      });
      pdf.x = A4_MARGIN;
      pdf.y = top + 16;
    };
    line(columns.map((c) => `${c.zh} ${c.en}`), true);
    // Bounded by the loan's installments (MAX_PERIODS of the schedule engine).
    for (const cells of rows) line(cells, false);
    pdf.moveDown(1);
  }

  if (document.text !== undefined) {
    pdf.fontSize(10);
    for (const paragraph of document.text.zh.split('\n')) pdf.text(paragraph, A4_MARGIN, pdf.y, { width, paragraphGap: 3 });
    pdf.moveDown(1).fontSize(9).fillColor('#444');
    for (const paragraph of document.text.en.split('\n')) pdf.text(paragraph, A4_MARGIN, pdf.y, { width, paragraphGap: 2 });
    pdf.fillColor('#000').moveDown(1);
  }

  pdf.fontSize(9);
  for (const field of document.footer) pdf.text(`${field.label.zh} ${field.label.en}: ${field.value}`, A4_MARGIN, pdf.y, { width });
  pdf.end();
  await ended;
  return Buffer.concat(chunks);
}
