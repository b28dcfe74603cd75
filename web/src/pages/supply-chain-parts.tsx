/**
 * What the supply-chain faces share: the words for the programme's and papers' codes, and the
 * balance by core enterprise and tier (the officer console and the dashboard tile).
 */
import { fenText, toFen } from '../api-book';
import { supplyChainBalance, type TierBalance } from '../api-supply-chain';
import { Kpi } from '../components/Kpi';
import { useApi } from '../components/useApi';
import { DataTable } from '../components/DataTable';
import { yuan } from '../format';
import { MESSAGES, useI18n, type I18n, type MessageKey } from '../i18n';

/** The code families of supply-chain finance and the prefix of their words in i18n-supply-chain.ts. */
const FAMILIES = { tenor: 'scfTenor_', payer: 'scfPayer_', timing: 'scfTiming_', programme: 'scfProgramme_', receivable: 'scfReceivable_', certificate: 'scfCertificate_', financing: 'scfFinancing_' } as const;

/** A supply-chain code in the page's language (the code itself only if a text is missing, which a test forbids). */
export function scfText(i18n: I18n, family: keyof typeof FAMILIES, code: string): string {
  const key = `${FAMILIES[family]}${code}`;
  return key in MESSAGES.zh ? i18n.t(key as MessageKey) : code;
}

/** Certificates outstanding and financed by core enterprise and tier. */
export function TierBalanceTable({ rows }: { readonly rows: readonly TierBalance[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <DataTable
      testId="scf-tier-balance"
      cards
      rows={rows}
      rowKey={(row) => `${row.coreEnterpriseId}-${row.tier}`}
      rowData={(row) => ({ 'data-core': row.coreEnterpriseName, 'data-tier': String(row.tier) })}
      empty={t('empty')}
      columns={[
        { header: t('scfCoreEnterprise'), cell: (row) => row.coreEnterpriseName },
        { header: t('scfTier'), className: 'num', cell: (row) => `${t('scfTierPrefix')}${row.tier}${t('scfTierSuffix')}` },
        { header: t('scfCertificates'), className: 'num', cell: (row) => row.certificates },
        { header: t('scfCertificatesOutstanding'), className: 'num', cell: (row) => <span data-field="outstanding">{yuan(row.outstanding)}</span> },
        { header: t('scfFinanced'), className: 'num', cell: (row) => <span data-field="financed">{yuan(row.financed)}</span> },
      ]}
    />
  );
}

/**
 * The dashboard tile: supply-chain financing outstanding and certificates outstanding, in total and
 * by core enterprise and tier (GET /v1/supply-chain/balance).
 */
export function SupplyChainTile() {
  const { t } = useI18n();
  const balance = useApi(() => supplyChainBalance(), []);
  if (!balance.data) return balance.error ? <p className="error">{balance.error}</p> : null;
  const rows = balance.data.items;
  const total = (pick: (row: TierBalance) => string) => yuan(fenText(rows.reduce((sum, row) => sum + toFen(pick(row)), 0n)));
  return (
    <div className="panel" data-testid="scf-tile">
      <h3>{t('scfTile')}</h3>
      <div className="kpis three">
        <Kpi label={t('scfTileFinanced')} value={total((row) => row.financed)} testId="scf-tile-financed" />
        <Kpi label={t('scfTileOutstanding')} value={total((row) => row.outstanding)} testId="scf-tile-outstanding" />
        <Kpi label={t('scfTileCores')} value={String(new Set(rows.map((row) => row.coreEnterpriseId)).size)} testId="scf-tile-cores" />
      </div>
      <TierBalanceTable rows={rows} />
    </div>
  );
}

/**
 * A business date typed as YYYY-MM-DD, the way Chinese banking forms write it: a native date input
 * would show the browser's locale (mm/dd/yyyy on an American Chromium) whatever the page's language.
 */
export const DATE_INPUT = { type: 'text', inputMode: 'numeric', pattern: '[0-9]{4}-[0-9]{2}-[0-9]{2}', placeholder: 'YYYY-MM-DD', maxLength: 10 } as const;
