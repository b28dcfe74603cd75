/**
 * Batch acquisition (批量获客): paste a list, or upload a file (CSV in UTF-8 or GBK — what Excel
 * on a Chinese Windows saves — or XLSX; the server detects the encoding and refuses mojibake with
 * the reason), from a supply chain, a business district or a platform; each is pre-screened and
 * the batch's results come back. Existing customers are flagged, not pre-approved; every prospect
 * is listed, searched and paged, and a pre-approved one is converted into an application.
 */
import { useState, type FormEvent } from 'react';
import { base64Of, convertProspect, prospectBook, uploadProspects, type BookProspect, type ProspectQuery, type ProspectUpload } from '../api-book';
import { products } from '../api-portal';
import { Pager } from '../components/Pager';
import { fill } from '../i18n-book';
import type { MessageKey } from '../i18n';
import { importProspects, prospectBatches, prospectsOf, type Prospect, type ProspectBatch } from '../api-portal';
import { DataTable } from '../components/DataTable';
import { useApi } from '../components/useApi';
import { productName, yuan } from '../format';
import { bracketText, useI18n } from '../i18n';
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

export function ProspectsPage({ navigate }: { readonly navigate: (to: string) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const batches = useApi(() => prospectBatches().catch(() => [] as ProspectBatch[]), []);
  const [source, setSource] = useState<(typeof SOURCES)[number]>('supply-chain');
  const [sourceName, setSourceName] = useState('');
  const [text, setText] = useState('');
  const [result, setResult] = useState<{ batch: ProspectBatch; prospects: Prospect[] } | null>(null);
  const { busy, error, run } = useAction();
  const rows = parseProspects(text);
  const [file, setFile] = useState<File | null>(null);
  const [upload, setUpload] = useState<ProspectUpload | null>(null);
  const [round, setRound] = useState(0);

  async function submitFile() {
    if (!file) return;
    await run(async () => {
      setUpload(null);
      const answer = await uploadProspects({ source, sourceName: sourceName.trim(), fileName: file.name.slice(0, 200), content: await base64Of(file) });
      // How the file was read and what it held appear together.
      const prospects = await prospectsOf(answer.batch.id);
      setResult({ batch: answer.batch, prospects });
      setUpload(answer);
      batches.reload();
      setRound((n) => n + 1);
    });
  }

  async function submit() {
    await run(async () => {
      const batch = await importProspects({ source, sourceName: sourceName.trim(), prospects: rows });
      setResult({ batch, prospects: await prospectsOf(batch.id) });
      batches.reload();
      setRound((n) => n + 1);
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
            {t('uploadFile')}
            <input type="file" accept=".csv,.txt,.xlsx,text/csv,text/plain,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" name="file" onChange={(event) => { setFile(event.target.files?.[0] ?? null); setUpload(null); }} />
          </label>
        </div>
        <div className="actions">
          <button type="button" className="primary" disabled={busy || file === null || sourceName.trim() === ''} onClick={submitFile} data-testid="upload">
            {busy ? t('loading') : t('importButton')}
          </button>
          {upload && <span className="ok" data-testid="upload-result">{fill(t('fileRead'), { format: t(`format_${upload.format === 'utf-8' ? 'utf8' : upload.format}` as MessageKey), rows: upload.rows })}</span>}
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
          <div className="kpis five">
            <div className="kpi"><span className="kpi-label">{t('total')}</span><span className="kpi-value">{result.batch.total}</span></div>
            <div className="kpi"><span className="kpi-label">{statusText(i18n, 'pre-approved')}</span><span className="kpi-value" data-testid="pre-approved">{result.batch.preApproved}</span></div>
            <div className="kpi"><span className="kpi-label">{statusText(i18n, 'declined')}</span><span className="kpi-value">{result.batch.declined}</span></div>
            <div className="kpi"><span className="kpi-label">{statusText(i18n, 'invalid')}</span><span className="kpi-value">{result.batch.invalid}</span></div>
            <div className="kpi"><span className="kpi-label">{statusText(i18n, 'existing-customer')}</span><span className="kpi-value" data-testid="existing">{result.batch.existing}</span></div>
          </div>
          <DataTable
            testId="prospect-results"
            cards
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

      <ProspectBook key={round} navigate={navigate} />

      <div className="panel">
        <h3>{t('batches')}</h3>
        <DataTable
          cards
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

const PAGE = 25;

/** Every prospect across batches, searched, filtered and paged on the server; a pre-approved one is converted here. */
function ProspectBook({ navigate }: { readonly navigate: (to: string) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [text, setText] = useState('');
  const [query, setQuery] = useState<ProspectQuery>({ sort: 'position' });
  const [offset, setOffset] = useState(0);
  const [converting, setConverting] = useState<BookProspect | null>(null);
  const page = useApi(() => prospectBook({ ...query, offset: String(offset), limit: String(PAGE) }), [query, offset]);
  const change = (next: Partial<ProspectQuery>) => {
    setQuery({ ...query, ...next });
    setOffset(0);
  };
  return (
    <div className="panel" data-testid="prospect-book">
      <h3>
        {t('allProspects')} {page.data && <span className="muted small">· {page.data.total}</span>}
      </h3>
      <form className="filters" onSubmit={(event: FormEvent) => { event.preventDefault(); change({ q: text.trim() || undefined }); }}>
        <input type="search" name="q" value={text} placeholder={t('searchFirmShort')} onChange={(event) => setText(event.target.value)} />
        <button type="submit" className="primary">{t('search')}</button>
        <label>
          {t('status')}
          <select name="prospectStatus" value={query.status ?? ''} onChange={(event) => change({ status: (event.target.value || undefined) as ProspectQuery['status'] })}>
            <option value="">{t('filterAll')}</option>
            {(['pre-approved', 'existing-customer', 'declined', 'invalid'] as const).map((status) => <option key={status} value={status}>{statusText(i18n, status)}</option>)}
          </select>
        </label>
        <label>
          {t('converted')}
          <select name="converted" value={query.converted ?? ''} onChange={(event) => change({ converted: (event.target.value || undefined) as ProspectQuery['converted'] })}>
            <option value="">{t('filterAll')}</option>
            <option value="true">{t('convertedOnly')}</option>
            <option value="false">{t('notConverted')}</option>
          </select>
        </label>
        <label>
          {t('sortBy')}
          <select name="sort" value={query.sort} onChange={(event) => change({ sort: event.target.value as ProspectQuery['sort'] })}>
            {(['position', 'name', 'indicativeLimit'] as const).map((sort) => <option key={sort} value={sort}>{t(`sort_${sort}`)}</option>)}
          </select>
        </label>
      </form>
      {page.error && <p className="error" role="alert">{page.error}</p>}
      <DataTable
        testId="prospect-book-table"
        cards
        rows={page.data?.items ?? []}
        rowKey={(row) => row.id}
        empty={page.data ? t('noRows') : undefined}
        rowData={(row) => ({ 'data-testid': 'prospect-row', 'data-status': row.status })}
        columns={[
          { header: t('enterpriseName'), cell: (row) => row.name },
          { header: t('creditCode'), cellClassName: 'mono', cell: (row) => row.creditCode },
          { header: t('sourceName'), cell: (row) => row.batchName },
          {
            header: t('status'),
            cell: (row) => (
              <span className={`badge ${row.status === 'existing-customer' ? 'customer' : `outcome-${row.status}`}`} title={row.status === 'existing-customer' ? t('existingCustomerNote') : undefined}>
                {statusText(i18n, row.status)}
              </span>
            ),
          },
          { header: t('indicativeLimit'), className: 'num', cell: (row) => (row.indicativeLimit === null ? '—' : yuan(row.indicativeLimit)) },
          {
            header: null,
            cell: (row) =>
              row.applicationId !== null ? (
                <button type="button" className="link-button" onClick={() => navigate(`/enterprises?id=${row.enterpriseId}`)}>{t('openApplication')} →</button>
              ) : row.status === 'pre-approved' ? (
                <button type="button" className="secondary" onClick={() => setConverting(row)} data-testid="open-convert">{t('convert')}</button>
              ) : row.status === 'existing-customer' && row.enterpriseId !== null ? (
                <button type="button" className="link-button" onClick={() => navigate(`/enterprises?id=${row.enterpriseId}`)}>{t('enterprise360')} →</button>
              ) : null,
          },
        ]}
      />
      {page.data && <Pager offset={page.data.offset} limit={page.data.limit} total={page.data.total} onOffset={setOffset} testId="prospect-pager" />}
      {converting && <ConvertForm key={converting.id} prospect={converting} navigate={navigate} onDone={page.reload} />}
    </div>
  );
}

function ConvertForm({ prospect, navigate, onDone }: { readonly prospect: BookProspect; readonly navigate: (to: string) => void; readonly onDone: () => void }) {
  const { t, language } = useI18n();
  const catalogue = useApi(() => products(), []);
  const [productCode, setProductCode] = useState('');
  const [evidence, setEvidence] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState<{ applicationId: string; enterpriseId: string } | null>(null);
  const { busy, error, run } = useAction();
  const active = (catalogue.data ?? []).filter((product) => product.status === 'active');
  const chosen = productCode || active[0]?.code || '';
  const chosenProduct = active.find((product) => product.code === chosen);
  async function confirm() {
    await run(async () => {
      setDone(await convertProspect(prospect.id, { productCode: chosen, evidence: evidence.trim() }));
      setConfirming(false);
      onDone();
    });
  }
  return (
    <div className="subpanel" data-testid="convert-form">
      <h3>{t('convert')} · {prospect.name}</h3>
      <p className="muted small">{t('convertIntro')}</p>
      <div className="form-grid">
        <label>
          {t('product')}
          <select name="productCode" value={chosen} disabled={confirming || done !== null} onChange={(event) => setProductCode(event.target.value)}>
            {active.map((product) => <option key={product.code} value={product.code}>{productName(product.name, product.nameEn, language)}</option>)}
          </select>
        </label>
        <label>
          {t('consentReference')}
          <input name="evidence" value={evidence} maxLength={300} disabled={confirming || done !== null} onChange={(event) => setEvidence(event.target.value)} />
        </label>
      </div>
      {!confirming && done === null && (
        <div className="actions">
          <button type="button" className="primary" disabled={evidence.trim().length < 5 || chosen === ''} onClick={() => setConfirming(true)} data-testid="review-convert">{t('review')}</button>
        </div>
      )}
      {confirming && (
        <div className="confirm">
          <strong>{t('confirmTitle')}</strong>
          <dl>
            <dt>{t('enterpriseName')}</dt><dd>{prospect.name}{bracketText({ language }, prospect.creditCode)}</dd>
            <dt>{t('product')}</dt><dd>{chosenProduct ? productName(chosenProduct.name, chosenProduct.nameEn, language) : chosen}</dd>
            <dt>{t('consentReference')}</dt><dd>{evidence.trim()}</dd>
          </dl>
          <div className="actions">
            <button type="button" className="primary" disabled={busy} onClick={confirm} data-testid="confirm-convert">{t('confirmConvert')}</button>
            <button type="button" className="secondary" disabled={busy} onClick={() => setConfirming(false)}>{t('cancel')}</button>
          </div>
        </div>
      )}
      {done && (
        <p className="ok" data-testid="convert-result">
          {t('converted')} · <button type="button" className="link-button" onClick={() => navigate(`/enterprises?id=${done.enterpriseId}`)}>{t('openApplication')} →</button>
        </p>
      )}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}
