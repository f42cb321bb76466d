import { ApiError } from '../api/admin-api.js';
import { useI18n } from '../i18n/i18n.js';

/** An error as an alert: announced at once, with the server's code for operators. */
export function ErrorNote({ error }: { error: Error | null }) {
  const { t } = useI18n();
  if (error === null) return null;
  const code = error instanceof ApiError ? error.code : null;
  return (
    <p role="alert" className="admin-error">
      {code === 'server_auth_required'
        ? t('error.needsSecret')
        : t('error.failed', { message: error.message })}
      {code !== null && <code className="admin-code"> {code}</code>}
    </p>
  );
}

/** The outcome of an action, announced politely (a live region that is always there). */
export function StatusNote({ text }: { text: string }) {
  return (
    <p role="status" className="admin-status">
      {text}
    </p>
  );
}

/** Figures as a description list: each label and its value. */
export function Stats({ items }: { items: readonly { label: string; value: string }[] }) {
  return (
    <dl className="admin-stats">
      {items.map((item) => (
        <div key={item.label} className="admin-stat">
          <dt>{item.label}</dt>
          <dd>{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}
