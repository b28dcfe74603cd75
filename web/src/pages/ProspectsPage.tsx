/**
 * Batch acquisition (批量获客): paste or upload a list of enterprises from a supply chain, a
 * business district or a platform; each is pre-screened and the batch's results come back.
 */
import { useState } from 'react';
import { importProspects, prospectBatches, prospectsOf, type Prospect, type ProspectBatch } from '../api-portal';
import { DataTable } from '../components/DataTable';
import { useApi } from '../components/useApi';
import { yuan } from '../format';
import { useI18n } from '../i18n';
import { localTime, prospectSourceText, reasonText, statusText } from '../portal-text';
import { useAction } from '../components/useAction';

const SOURCES = ['supply-chain', 'business-district', 'platform'] as const;

/** "creditCode,name" per line; a header line and blank lines are skipped; a name may contain commas. */
export function parseProspects(text: string): { creditCode: string; name: string }[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/^\uFEFF/, '').trim())
    .filter((line) => line !== '' && !/^credit_?code/i.test(line) && !line.startsWith('统一社会信用代码'))
    .map((line) => {
      const [code = '', ...rest] = line.split(/[,，\t]/);
      return { creditCode: code.trim().toUpperCase(), name: rest.join(',').trim().replace(/^"|"$/g, '') };
    });
}

export function ProspectsPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const batches = useApi(() => prospectBatches().catch(() => [] as ProspectBatch[]), []);
  const [source, setSource] = useState<(typeof SOURCES)[number]>('supply-chain');
  const [sourceName, setSourceName] = useState('');
  const [text, setText] = useState('');
  const [result, setResult] = useState<{ batch: ProspectBatch; prospects: Prospect[] } | null>(null);
  const { busy, error, run } = useAction();
  const rows = parseProspects(text);

  async function submit() {
    await run(async () => {
      const batch = await importProspects({ source, sourceName: sourceName.trim(), prospects: rows });
      setResult({ batch, prospects: await prospectsOf(batch.id) });
      batches.reload();
    });
  }

  async function open(batch: ProspectBatch) {
    setResult({ batch, prospects: await prospectsOf(batch.id) });
  }

  return (
    <section>
      <div className="page-title">
        <h2>{t('prospects')}</h2>
      </div>
      <div className="panel form" data-testid="prospect-form">
        <h3>{t('importBatch')}</h3>
        <div className="form-grid">
          <label>
            {t('prospectSource')}
            <select name="source" value={source} onChange={(event) => setSource(event.target.value as (typeof SOURCES)[number])}>
              {SOURCES.map((value) => (
                <option key={value} value={value}>
                  {prospectSourceText(i18n, value)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('sourceName')}
            <input name="sourceName" value={sourceName} maxLength={200} onChange={(event) => setSourceName(event.target.value)} />
          </label>
          <label>
            {t('uploadCsv')}
            <input type="file" accept=".csv,text/csv,text/plain" name="file" onChange={(event) => { const file = event.target.files?.[0]; if (file) void file.text().then(setText); }} />
          </label>
        </div>
        <label className="block">
          {t('pasteCsv')}
          <textarea name="prospects" rows={8} value={text} placeholder={'91330100MA2XXXXXXX,杭州某某贸易有限公司'} onChange={(event) => setText(event.target.value)} />
        </label>
        <p className="muted small">
          {rows.length} {t('rowsRead')}
        </p>
        <button type="button" className="primary" disabled={busy || rows.length === 0 || sourceName.trim() === ''} onClick={submit} data-testid="import">
          {busy ? t('loading') : t('importButton')}
        </button>
        {error && <p className="error" role="alert">{error}</p>}
      </div>

      {result && (
        <div className="panel" data-testid="batch-result">
          <h3>
            {result.batch.sourceName} · {prospectSourceText(i18n, result.batch.source)}
          </h3>
          <div className="kpis four">
            <div className="kpi"><span className="kpi-label">{t('total')}</span><span className="kpi-value">{result.batch.total}</span></div>
            <div className="kpi"><span className="kpi-label">{statusText(i18n, 'pre-approved')}</span><span className="kpi-value" data-testid="pre-approved">{result.batch.preApproved}</span></div>
            <div className="kpi"><span className="kpi-label">{statusText(i18n, 'declined')}</span><span className="kpi-value">{result.batch.declined}</span></div>
            <div className="kpi"><span className="kpi-label">{statusText(i18n, 'invalid')}</span><span className="kpi-value">{result.batch.invalid}</span></div>
          </div>
          <DataTable
            testId="prospect-results"
            rows={result.prospects}
            rowKey={(prospect, index) => `${prospect.creditCode}-${index}`}
            columns={[
              { header: t('creditCode'), cellClassName: 'mono', cell: (prospect) => prospect.creditCode },
              { header: t('enterpriseName'), cell: (prospect) => prospect.name },
              { header: t('status'), cell: (prospect) => <span className={`badge outcome-${prospect.status}`}>{statusText(i18n, prospect.status)}</span> },
              { header: t('indicativeLimit'), className: 'num', cell: (prospect) => (prospect.indicativeLimit === null ? '—' : yuan(prospect.indicativeLimit)) },
              { header: t('reasons'), cellClassName: 'wrap small', cell: (prospect) => prospect.reasons.map((code) => reasonText(i18n, code)).join('；') + (prospect.detail === null ? '' : `（${prospect.detail}）`) },
            ]}
          />
        </div>
      )}

      <div className="panel">
        <h3>{t('batches')}</h3>
        <DataTable
          rows={batches.data ?? []}
          rowKey={(batch) => batch.id}
          empty={t('empty')}
          columns={[
            {
              header: t('sourceName'),
              cell: (batch) => (
                <a href="#" onClick={(event) => { event.preventDefault(); void open(batch); }}>{batch.sourceName}</a>
              ),
            },
            { header: t('prospectSource'), cell: (batch) => prospectSourceText(i18n, batch.source) },
            { header: t('total'), className: 'num', cell: (batch) => batch.total },
            { header: statusText(i18n, 'pre-approved'), className: 'num', cell: (batch) => batch.preApproved },
            { header: t('madeAt'), cell: (batch) => localTime(batch.createdAt) },
          ]}
        />
      </div>
    </section>
  );
}
