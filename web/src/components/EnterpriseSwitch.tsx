/**
 * The enterprise a borrower works on. An owner may be bound to several (`GET /v1/me` gives
 * `enterpriseIds`); every portal page works on the chosen one, remembered per user in the browser.
 */
import { useCallback, useState } from 'react';
import { enterprise as fetchEnterprise, me } from '../api-portal';
import { useI18n } from '../i18n';
import { useApi } from './useApi';

const choiceKey = (username: string) => `sprout.enterprise.${username}`;

export interface PortalEnterprises {
  /** The borrower's enterprises with their names, in the order the server binds them; undefined while loading. */
  readonly list: readonly { readonly id: string; readonly name: string }[] | undefined;
  readonly error: string | null;
  /** The chosen enterprise: the remembered one if still bound, else the first; undefined when there is none. */
  readonly chosen: string | undefined;
  readonly choose: (id: string) => void;
  /** Loads the list again (after registering an enterprise), choosing `next` if given. */
  readonly reload: (next?: string) => void;
}

export function usePortalEnterprises(username: string): PortalEnterprises {
  const [stored, setStored] = useState<string | null>(() => localStorage.getItem(choiceKey(username)));
  const profile = useApi(async () => {
    const user = await me();
    const ids = user.enterpriseIds ?? (user.enterpriseId ? [user.enterpriseId] : []);
    return Promise.all(ids.map(async (id) => ({ id, name: await fetchEnterprise(id).then((firm) => firm.name, () => id.slice(-8)) })));
  }, [username]);
  const choose = useCallback(
    (id: string) => {
      localStorage.setItem(choiceKey(username), id);
      setStored(id);
    },
    [username],
  );
  const reload = useCallback(
    (next?: string) => {
      if (next !== undefined) choose(next);
      profile.reload();
    },
    [choose, profile.reload],
  );
  const list = profile.data;
  const chosen = list?.some((firm) => firm.id === stored) ? stored! : list?.[0]?.id;
  return { list, error: profile.error, chosen, choose, reload };
}

/** The switcher above the portal's pages: which enterprise, and registering another. */
export function EnterpriseSwitch({ enterprises, onChoose, onAdd }: { readonly enterprises: PortalEnterprises; readonly onChoose: (id: string) => void; readonly onAdd: () => void }) {
  const { t } = useI18n();
  const list = enterprises.list ?? [];
  if (list.length === 0) return null;
  return (
    <div className="enterprise-switch" data-testid="enterprise-switch">
      <label>
        {t('workingOn')}
        <select name="enterprise" value={enterprises.chosen} onChange={(event) => onChoose(event.target.value)} disabled={list.length < 2}>
          {list.map((firm) => (
            <option key={firm.id} value={firm.id}>
              {firm.name}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="link-button" onClick={onAdd} data-testid="add-enterprise">
        + {t('registerAnotherEnterprise')}
      </button>
    </div>
  );
}
