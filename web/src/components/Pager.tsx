import { useI18n } from '../i18n';
import { fill } from '../i18n-book';

/**
 * "1–50 of 286" with first, previous, next and last: the server pages, this only moves the offset.
 *
 * @example
 * <Pager offset={page.offset} limit={page.limit} total={page.total} onOffset={setOffset} />
 */
export function Pager({ offset, limit, total, onOffset, testId = 'pager' }: { readonly offset: number; readonly limit: number; readonly total: number; readonly onOffset: (offset: number) => void; readonly testId?: string }) {
  const { t } = useI18n();
  const last = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
  return (
    <div className="pager" data-testid={testId}>
      <span className="muted small" data-testid={`${testId}-text`}>
        {total === 0 ? t('noRows') : fill(t('pageOf'), { from: offset + 1, to: Math.min(offset + limit, total), total })}
      </span>
      <span className="pager-buttons">
        <button type="button" className="secondary" disabled={offset === 0} onClick={() => onOffset(0)} data-testid={`${testId}-first`}>{t('firstPage')}</button>
        <button type="button" className="secondary" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - limit))} data-testid={`${testId}-previous`}>{t('previousPage')}</button>
        <button type="button" className="secondary" disabled={offset + limit >= total} onClick={() => onOffset(offset + limit)} data-testid={`${testId}-next`}>{t('nextPage')}</button>
        <button type="button" className="secondary" disabled={offset >= last} onClick={() => onOffset(last)} data-testid={`${testId}-last`}>{t('lastPage')}</button>
      </span>
    </div>
  );
}
