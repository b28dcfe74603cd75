/**
 * A printable document as a standalone HTML page: UTF-8, no scripts, laid out for A4 paper
 * (`@page { size: A4 }`, print margins, the schedule table kept whole across pages where it fits),
 * Chinese with the English beside each label.
 */
import type { PrintDocument } from './print-documents.js';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const PRINT_CSS = `@page{size:A4;margin:18mm 16mm}
*{box-sizing:border-box}
body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei","PingFang SC","Microsoft YaHei",sans-serif;color:#111;max-width:178mm;margin:0 auto;padding:8mm 0;font-size:11pt;line-height:1.55}
h1{font-size:18pt;text-align:center;margin:0 0 2mm}
.sub{text-align:center;color:#444;margin:0 0 6mm}
table{width:100%;border-collapse:collapse;margin:0 0 6mm}
th,td{border:1px solid #888;padding:1.5mm 2.5mm;text-align:left;vertical-align:top}
th{background:#f1f1f1;font-weight:600;width:38%}
.schedule th{width:auto}
.schedule td.n{text-align:right;font-variant-numeric:tabular-nums}
.en{color:#555;font-size:.85em}
.text p{margin:0 0 2mm}
.foot{border-top:1px solid #999;padding-top:3mm;font-size:.9em}
.foot code{word-break:break-all}
@media print{body{padding:0}tr{break-inside:avoid}}`;

/**
 * @example
 * const html = printDocumentHtml(await loanNoteDocument(db, loanId));
 */
export function printDocumentHtml(document: PrintDocument): string {
  const label = (text: { zh: string; en: string }) => `${escapeHtml(text.zh)} <span class="en">${escapeHtml(text.en)}</span>`;
  const fields = document.fields.map((field) => `<tr><th>${label(field.label)}</th><td>${escapeHtml(field.value)}</td></tr>`).join('\n');
  const table =
    document.table === undefined
      ? ''
      : `<table class="schedule"><caption>${label(document.table.caption)}</caption><thead><tr>${document.table.columns.map((c) => `<th>${label(c)}</th>`).join('')}</tr></thead>
<tbody>${document.table.rows.map((row) => `<tr>${row.map((cell, i) => `<td${i >= 2 ? ' class="n"' : ''}>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n')}</tbody></table>`;
  const paragraphs = (text: string) => text.split('\n').map((line) => (line === '' ? '' : `<p>${escapeHtml(line)}</p>`)).join('\n');
  const text = document.text === undefined ? '' : `<section class="text" lang="zh-CN">${paragraphs(document.text.zh)}</section>\n<section class="text en" lang="en">${paragraphs(document.text.en)}</section>`;
  // Digests and ids in a fixed-width face, to be compared character by character; words as words.
  const footer = document.footer.map((field) => `<p>${label(field.label)}：${/^[0-9a-f-]{16,}$/i.test(field.value) ? `<code>${escapeHtml(field.value)}</code>` : escapeHtml(field.value)}</p>`).join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(document.title.zh)} ${escapeHtml(document.number)}</title>
<style>${PRINT_CSS}</style></head>
<body>
<h1>${escapeHtml(document.title.zh)}</h1>
<p class="sub">${escapeHtml(document.title.en)} · ${escapeHtml(document.number)}</p>
<table class="fields">${fields}</table>
${table}
${text}
<section class="foot">${footer}</section>
</body></html>
`;
}
