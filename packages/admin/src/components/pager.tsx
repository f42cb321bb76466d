import type { Dispatch, SetStateAction } from 'react';
import { useI18n } from '../i18n/i18n.js';

/**
 * Previous / next buttons over cursor pages: `cursors` holds the cursor of every page up to
 * the one shown (the first is undefined), `nextCursor` is the shown page's answer.
 */
export function Pager({
  cursors,
  setCursors,
  nextCursor,
}: {
  cursors: readonly (string | undefined)[];
  setCursors: Dispatch<SetStateAction<(string | undefined)[]>>;
  nextCursor: string | null | undefined;
}) {
  const { t } = useI18n();
  return (
    <div className="admin-pager">
      {cursors.length > 1 && (
        <button type="button" onClick={() => setCursors((c) => c.slice(0, -1))}>
          {t('common.previousPage')}
        </button>
      )}
      {nextCursor != null && (
        <button type="button" onClick={() => setCursors((c) => [...c, nextCursor])}>
          {t('common.nextPage')}
        </button>
      )}
    </div>
  );
}
