import { useCallback, useState } from 'react';
import { ApiError } from '../api';
import { useI18n } from '../i18n';
import { errorText } from '../portal-text';

/**
 * A user's action against the API (submit a form, press a button): `busy` while it runs, and in
 * `error` when it fails the text for the error's code with the server's message as the detail
 * (or a generic text). `run` clears the last error first.
 *
 * @example
 * const { busy, error, run } = useAction();
 * const submit = () => run(async () => onCreated(await createEnterprise(body)));
 */
export function useAction(): { busy: boolean; error: string | null; run: (work: () => Promise<void>) => Promise<void> } {
  const i18n = useI18n();
  const { t } = i18n;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(
    async (work: () => Promise<void>) => {
      setBusy(true);
      setError(null);
      try {
        await work();
      } catch (caught) {
        setError(caught instanceof ApiError ? `${errorText(i18n, caught.code)}：${caught.message}` : t('error'));
      } finally {
        setBusy(false);
      }
    },
    [i18n, t],
  );
  return { busy, error, run };
}
