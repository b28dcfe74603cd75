/**
 * Batch acquisition (批量获客): paste or upload a list of enterprises from a supply chain, a
 * business district or a platform; each is pre-screened and the batch's results come back.
 */
import { useState } from 'react';
import { importProspects, prospectBatches, prospectsOf, type Prospect, type ProspectBatch } from '../api-portal';
import { useApi } from '../components/useApi';
import { yuan } from '../format';
import { useI18n } from '../i18n';
import { localTime, reasonText, statusText } from '../portal-text';
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
                  {statusText(i18n, value)}
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
            {result.batch.sourceName} · {statusText(i18n, result.batch.source)}
          </h3>
          <div className="kpis four">
            <div className="kpi"><span className="kpi-label">{t('total')}</span><span className="kpi-value">{result.batch.total}</span></div>
            <div className="kpi"><span className="kpi-label">{statusText(i18n, 'pre-approved')}</span><span className="kpi-value" data-testid="pre-approved">{result.batch.preApproved}</span></div>
            <div className="kpi"><span className="kpi-label">{statusText(i18n, 'declined')}</span><span className="kpi-value">{result.batch.declined}</span></div>
            <div className="kpi"><span className="kpi-label">{statusText(i18n, 'invalid')}</span><span className="kpi-value">{result.batch.invalid}</span></div>
          </div>
          <div className="table-scroll">
            <table data-testid="prospect-results">
              <thead>
                <tr>
                  <th>{t('creditCode')}</th>
                  <th>{t('enterpriseName')}</th>
                  <th>{t('status')}</th>
                  <th className="num">{t('indicativeLimit')}</th>
                  <th>{t('reasons')}</th>
                </tr>
              </thead>
              <tbody>
                {result.prospects.map((prospect, index) => (
                  <tr key={`${prospect.creditCode}-${index}`}>
                    <td className="mono">{prospect.creditCode}</td>
                    <td>{prospect.name}</td>
                    <td><span className={`badge outcome-${prospect.status}`}>{statusText(i18n, prospect.status)}</span></td>
                    <td className="num">{prospect.indicativeLimit === null ? '—' : yuan(prospect.indicativeLimit)}</td>
                    <td className="wrap small">{prospect.reasons.map((code) => reasonText(i18n, code)).join('；')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}

      <div className="panel">
        <h3>{t('batches')}</h3>
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th>{t('sourceName')}</th>
                <th>{t('prospectSource')}</th>
                <th className="num">{t('total')}</th>
                <th className="num">{statusText(i18n, 'pre-approved')}</th>
                <th>{t('madeAt')}</th>
              </tr>
            </thead>
            <tbody>
              {(batches.data ?? []).length === 0 && (
                <tr>
                  <td colSpan={5} className="muted">{t('empty')}</td>
                </tr>
              )}
              {(batches.data ?? []).map((batch) => (
                <tr key={batch.id}>
                  <td>
                    <a href="#" onClick={(event) => { event.preventDefault(); void open(batch); }}>{batch.sourceName}</a>
                  </td>
                  <td>{statusText(i18n, batch.source)}</td>
                  <td className="num">{batch.total}</td>
                  <td className="num">{batch.preApproved}</td>
                  <td>{localTime(batch.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}
