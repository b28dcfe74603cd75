import { useCallback, useRef, useState } from 'react';
import { errorMessage } from '../error-message';
import { useI18n, type I18n } from '../i18n';

/**
 * A user's action against the API (submit a form, press a button): `busy` while it runs, and in
 * `error` when it fails the error in the page's language (`errorMessage`: the field's label and
 * the reason, never the server's English message; `wording` may word it otherwise). `run` clears
 * the last error first, and ignores a second call while one runs (a double tap sends once, before
 * `busy` has disabled the button); `clear` clears it.
 *
 * @example
 * const { busy, error, run } = useAction();
 * const submit = () => run(async () => onCreated(await createEnterprise(body)));
 */
export function useAction(
  wording: (i18n: I18n, caught: unknown) => string = errorMessage,
): { busy: boolean; error: string | null; run: (work: () => Promise<void>) => Promise<void>; clear: () => void } {
  const i18n = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const running = useRef(false);
  const run = useCallback(
    async (work: () => Promise<void>) => {
      if (running.current) return;
      running.current = true;
      setBusy(true);
      setError(null);
      try {
        await work();
      } catch (caught) {
        setError(wording(i18n, caught));
      } finally {
        running.current = false;
        setBusy(false);
      }
    },
    [i18n, wording],
  );
  return { busy, error, run, clear: useCallback(() => setError(null), []) };
}
