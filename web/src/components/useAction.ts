import { useCallback, useState } from 'react';
import { ApiError } from '../api';
import { useI18n } from '../i18n';

/**
 * A user's action against the API (submit a form, press a button): `busy` while it runs, and the
 * server's message (or a generic one) in `error` when it fails. `run` clears the last error first.
 *
 * @example
 * const { busy, error, run } = useAction();
 * const submit = () => run(async () => onCreated(await createEnterprise(body)));
 */
export function useAction(): { busy: boolean; error: string | null; run: (work: () => Promise<void>) => Promise<void> } {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(
    async (work: () => Promise<void>) => {
      setBusy(true);
      setError(null);
      try {
        await work();
      } catch (caught) {
        setError(caught instanceof ApiError ? caught.message : t('error'));
      } finally {
        setBusy(false);
      }
    },
    [t],
  );
  return { busy, error, run };
}
