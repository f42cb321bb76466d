import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/i18n.js';

/** How long a ban or mute lasts; 0: until lifted. */
const DURATIONS = [
  { seconds: 3_600, key: 'duration.hour' },
  { seconds: 86_400, key: 'duration.day' },
  { seconds: 7 * 86_400, key: 'duration.week' },
  { seconds: 0, key: 'duration.forever' },
] as const;

export interface BanChoice {
  timeout_s?: number;
  reason?: string;
}

/** A ban's (or mute's) duration and reason, confirmed with a button. */
export function BanForm({
  userId,
  verb = 'ban',
  onBan,
  onCancel,
}: {
  userId: string;
  verb?: 'ban' | 'mute';
  onBan: (choice: BanChoice) => Promise<void> | void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [seconds, setSeconds] = useState<number>(86_400);
  const [reason, setReason] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void onBan({
      ...(seconds > 0 && { timeout_s: seconds }),
      ...(reason.trim() !== '' && { reason: reason.trim() }),
    });
  };
  return (
    <form
      className="admin-inline-form"
      aria-label={t(verb === 'ban' ? 'ban.formLabel' : 'mute.formLabel', { user: userId })}
      onSubmit={submit}
    >
      <label>
        {t('ban.duration')}
        <select value={seconds} onChange={(e) => setSeconds(Number(e.target.value))}>
          {DURATIONS.map((d) => (
            <option key={d.seconds} value={d.seconds}>
              {t(d.key)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('ban.reason')}
        <input value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
      </label>
      <button type="submit" className="admin-danger">
        {t(verb === 'ban' ? 'ban.confirm' : 'mute.confirm', { user: userId })}
      </button>
      <button type="button" onClick={onCancel}>
        {t('common.cancel')}
      </button>
    </form>
  );
}
