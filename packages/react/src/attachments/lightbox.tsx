'use client';
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { useTranslator } from '../i18n/locale-context.js';

/** An image as the lightbox shows it. */
export interface LightboxImage {
  url: string;
  name: string;
  width?: number | undefined;
  height?: number | undefined;
}

/**
 * A modal view of a message's images: Escape closes, ←/→ go through them, Tab stays
 * inside, and focus goes back where it was on close. The alt text is the file name.
 */
export function Lightbox({
  images,
  index,
  onIndex,
  onClose,
  returnFocus,
}: {
  images: readonly LightboxImage[];
  index: number;
  onIndex(index: number): void;
  onClose(): void;
  /** Focused on close (default: what had the focus when it opened). */
  returnFocus?: HTMLElement | null | undefined;
}) {
  const { t, number } = useTranslator();
  const dialog = useRef<HTMLDivElement>(null);
  const image = images[index]!;
  const back = useRef(returnFocus);
  useEffect(() => {
    const before = back.current ?? (document.activeElement as HTMLElement | null);
    dialog.current?.querySelector<HTMLElement>('.parley-lightbox-close')?.focus();
    return () => before?.focus();
  }, []);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onClose();
    } else if (event.key === 'ArrowRight' && images.length > 1) {
      onIndex((index + 1) % images.length);
    } else if (event.key === 'ArrowLeft' && images.length > 1) {
      onIndex((index - 1 + images.length) % images.length);
    } else if (event.key === 'Tab') {
      // The focus trap: from the last control back to the first, and the other way.
      const controls = [...dialog.current!.querySelectorAll<HTMLElement>('button, a[href]')];
      const first = controls[0]!;
      const last = controls.at(-1)!;
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
  };
  return (
    <div
      ref={dialog}
      className="parley-lightbox"
      role="dialog"
      aria-modal="true"
      aria-label={image.name}
      onKeyDown={onKeyDown}
      onClick={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <img
        className="parley-lightbox-image"
        src={image.url}
        alt={image.name}
        width={image.width}
        height={image.height}
      />
      <div className="parley-lightbox-bar">
        <span className="parley-lightbox-count" aria-live="polite">
          {images.length > 1
            ? t('lightbox.position', { index: number(index + 1), count: number(images.length) })
            : null}
        </span>
        {images.length > 1 ? (
          <>
            <button
              type="button"
              className="parley-button"
              aria-label={t('lightbox.previous')}
              onClick={() => onIndex((index - 1 + images.length) % images.length)}
            >
              ‹
            </button>
            <button
              type="button"
              className="parley-button"
              aria-label={t('lightbox.next')}
              onClick={() => onIndex((index + 1) % images.length)}
            >
              ›
            </button>
          </>
        ) : null}
        <a className="parley-button" href={image.url} download={image.name}>
          {t('files.download')}
        </a>
        <button
          type="button"
          className="parley-button parley-lightbox-close"
          aria-label={t('common.close')}
          onClick={onClose}
        >
          ×
        </button>
      </div>
    </div>
  );
}
