'use client';
import type { Channel, LocalMessage } from '@parley/client';
import {
  useEffect,
  useId,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
  type RefObject,
} from 'react';
import { useTranslator } from '../i18n/locale-context.js';
import { DEFAULT_REACTIONS, type EmojiPickerComponent } from './emoji-set.js';
import type { MessageAction } from './message-action-types.js';

/** What `ActionsMenu` takes. */
export interface ActionsMenuProps {
  /** The menu button, focused again when the menu closes. */
  buttonRef: RefObject<HTMLButtonElement | null>;
  message: LocalMessage;
  channel: Channel;
  actions: readonly MessageAction[];
  emojiPicker?: EmojiPickerComponent | undefined;
  onEdit(): void;
  onReply(): void;
  onQuote(): void;
  onError(error: Error): void;
}

type View = 'closed' | 'main' | 'react' | 'picker' | 'delete';

/**
 * A message's actions as a menu button (WAI-ARIA APG): Enter, Space or ArrowDown open it on
 * the first item, ArrowUp on the last; arrows, Home and End move; Escape closes it and
 * focus goes back to the button; Tab or a click elsewhere closes it.
 */
export default function ActionsMenu({
  buttonRef,
  message,
  channel,
  actions,
  emojiPicker: EmojiPicker,
  onEdit,
  onReply,
  onQuote,
  onError,
}: ActionsMenuProps) {
  const { t } = useTranslator();
  const [view, setView] = useState<View>('closed');
  const [fromEnd, setFromEnd] = useState(false);
  const menu = useRef<HTMLDivElement>(null);
  const menuId = useId();
  const open = view !== 'closed';

  const show = (next: View, last = false) => {
    setFromEnd(last);
    setView(next);
  };
  const close = (refocus = true) => {
    setView('closed');
    if (refocus) buttonRef.current?.focus();
  };

  // A new view: focus its first (or last) item.
  useEffect(() => {
    if (view === 'closed' || view === 'picker') return;
    const all = items(menu.current);
    (fromEnd ? all[all.length - 1] : all[0])?.focus();
  }, [view, fromEnd]);

  // A click elsewhere closes the menu (focus stays where the click put it).
  useEffect(() => {
    if (!open) return;
    const onDown = (event: MouseEvent) => {
      const target = event.target as Node;
      if (menu.current?.contains(target) || buttonRef.current?.contains(target)) return;
      setView('closed');
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open, buttonRef]);

  const react = (type: string) => {
    const own = message.own_reactions.some((r) => r.type === type);
    const done = own
      ? channel.deleteReaction(message.id, type)
      : channel.sendReaction(message.id, type);
    done.catch(onError);
  };
  const run = (action: () => Promise<unknown> | void, refocus = true) => {
    close(refocus);
    try {
      action()?.catch((error: Error) => onError(error));
    } catch (error) {
      onError(error as Error);
    }
  };

  const onMenuKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const all = items(menu.current);
    const at = all.indexOf(document.activeElement as HTMLElement);
    const move = (to: number) => {
      event.preventDefault();
      all[(to + all.length) % all.length]?.focus();
    };
    if (event.key === 'ArrowDown' || event.key === 'ArrowRight') move(at + 1);
    else if (event.key === 'ArrowUp' || event.key === 'ArrowLeft') move(at - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(all.length - 1);
    else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close();
    } else if (event.key === 'Tab') close(false);
  };

  const item = (key: string, label: ReactNode, onSelect: () => void, more: object = {}) => (
    <button
      key={key}
      type="button"
      role="menuitem"
      tabIndex={-1}
      className="parley-menu-item"
      onClick={onSelect}
      {...more}
    >
      {label}
    </button>
  );

  const entries: Record<MessageAction, () => ReactNode> = {
    react: () =>
      item('react', t('actions.react'), () => show('react'), { 'aria-haspopup': 'menu' }),
    reply: () => item('reply', t('actions.reply'), () => run(onReply, false)),
    quote: () => item('quote', t('actions.quote'), () => run(onQuote, false)),
    edit: () => item('edit', t('actions.edit'), () => run(onEdit, false)),
    delete: () => item('delete', t('actions.delete'), () => show('delete')),
    pin: () =>
      message.pinned
        ? item('pin', t('actions.unpin'), () => run(() => channel.unpinMessage(message.id)))
        : item('pin', t('actions.pin'), () => run(() => channel.pinMessage(message.id))),
    copy: () =>
      item('copy', t('actions.copy'), () => run(() => navigator.clipboard.writeText(message.text))),
  };

  let body: ReactNode = null;
  if (view === 'main') body = actions.map((action) => entries[action]());
  else if (view === 'react') {
    const own = new Set(message.own_reactions.map((r) => r.type));
    body = [
      ...DEFAULT_REACTIONS.map((emoji) =>
        item(emoji, emoji, () => run(() => react(emoji)), {
          role: 'menuitemcheckbox',
          'aria-checked': own.has(emoji),
          className: 'parley-menu-item parley-menu-emoji',
        }),
      ),
      EmojiPicker === undefined ? null : item('more', t('reactions.more'), () => show('picker')),
    ];
  } else if (view === 'delete') {
    body = [
      <p key="q" className="parley-menu-question" role="presentation">
        {t('actions.confirmDelete')}
      </p>,
      item('yes', t('actions.delete'), () => run(() => channel.deleteMessage(message.id)), {
        className: 'parley-menu-item parley-menu-danger',
      }),
      item('no', t('common.cancel'), () => close()),
    ];
  }
  const label = view === 'react' ? t('reactions.pick') : t('actions.menu');
  return (
    <div className="parley-actions">
      <button
        ref={buttonRef}
        type="button"
        className="parley-button parley-actions-button"
        aria-label={t('actions.menu')}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? close() : show('main'))}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault();
            show('main', event.key === 'ArrowUp');
          }
        }}
      >
        <span aria-hidden="true">⋯</span>
      </button>
      {view === 'picker' && EmojiPicker !== undefined ? (
        <div
          id={menuId}
          ref={menu}
          className="parley-menu parley-emoji-picker"
          role="dialog"
          aria-label={t('reactions.pick')}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.stopPropagation();
              close();
            }
          }}
        >
          <EmojiPicker onPick={(emoji) => run(() => react(emoji))} onClose={() => close()} />
        </div>
      ) : open ? (
        <div
          id={menuId}
          ref={menu}
          className={`parley-menu parley-menu-${view}`}
          role="menu"
          aria-label={label}
          onKeyDown={onMenuKeyDown}
        >
          {body}
        </div>
      ) : null}
    </div>
  );
}

function items(menu: HTMLElement | null): HTMLElement[] {
  return menu === null
    ? []
    : Array.from(menu.querySelectorAll<HTMLElement>('[role^="menuitem"]:not([disabled])'));
}
