/** Loads with a promise-returning call: the data, the error in the page's language, and a way to load again. */
import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../error-message';
import { useI18n } from '../i18n';

export function useApi<T>(load: () => Promise<T>, deps: readonly unknown[]): { data: T | undefined; error: string | null; reload: () => void } {
  const i18n = useI18n();
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  useEffect(() => {
    let live = true;
    load().then(
      (value) => live && (setData(value), setError(null)),
      (caught: unknown) => live && setError(errorMessage(i18n, caught)),
    );
    return () => {
      live = false;
    };
  }, [...deps, round]);
  return { data, error, reload };
}
