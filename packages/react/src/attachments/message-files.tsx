'use client';
import type { LocalMessage, PendingUpload } from '@parley/client';
import { useRef, useState } from 'react';
import { useTranslator } from '../i18n/locale-context.js';
import type { Translator } from '../i18n/translator.js';
import { useChatContext } from '../session/chat-context.js';
import { fileSize } from './file-rules.js';
import { Lightbox } from './lightbox.js';

/**
 * A message's files: images in a grid of thumbnails that open a lightbox, audio and video
 * in the browser's players, anything else as a chip with icon, name, size and download.
 * A pending message shows its uploads with a progress bar each.
 */
export function MessageFiles({ message }: { message: LocalMessage }) {
  const { client } = useChatContext();
  const translator = useTranslator();
  const { t } = translator;
  const [open, setOpen] = useState<number | null>(null);
  const opener = useRef<HTMLElement | null>(null);
  if (message.status !== 'sent' && message.uploads !== undefined) {
    return <Uploads uploads={message.uploads} translator={translator} />;
  }
  if (message.attachments.length === 0) return null;
  // File URLs are relative to the server, which may be on another origin than the page.
  const full = (url: string) => new URL(url, `${client.baseUrl}/`).href;
  const images = message.attachments.filter((a) => a.type === 'image');
  const others = message.attachments.filter((a) => a.type !== 'image');
  return (
    <div className="parley-files">
      {images.length > 0 ? (
        <ul
          className={`parley-image-grid parley-image-grid-${Math.min(images.length, 4)}`}
          aria-label={t('files.images')}
        >
          {images.map((image, i) => (
            <li key={image.id}>
              <button
                type="button"
                className="parley-image-button"
                aria-label={t('files.open', { name: image.name })}
                onClick={(event) => {
                  opener.current = event.currentTarget;
                  setOpen(i);
                }}
              >
                <img
                  src={full(image.thumb_url ?? image.url)}
                  alt={image.name}
                  loading="lazy"
                  width={image.width}
                  height={image.height}
                />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {others.map((file) => (
        <FileView key={file.id} file={file} url={full(file.url)} translator={translator} />
      ))}
      {open === null ? null : (
        <Lightbox
          images={images.map((i) => ({ ...i, url: full(i.url) }))}
          index={open}
          onIndex={setOpen}
          onClose={() => setOpen(null)}
          returnFocus={opener.current}
        />
      )}
    </div>
  );
}

type Attachment = LocalMessage['attachments'][number];

function FileView({
  file,
  url,
  translator,
}: {
  file: Attachment;
  url: string;
  translator: Translator;
}) {
  if (file.type === 'audio') {
    return (
      <figure className="parley-media">
        <audio controls preload="metadata" src={url} aria-label={file.name} />
        <figcaption>{file.name}</figcaption>
      </figure>
    );
  }
  if (file.type === 'video') {
    return (
      <figure className="parley-media">
        <video controls preload="metadata" src={url} aria-label={file.name} />
        <figcaption>{file.name}</figcaption>
      </figure>
    );
  }
  return (
    <a className="parley-file-chip" href={url} download={file.name}>
      <span className="parley-file-icon" aria-hidden="true">
        {iconOf(file.mime)}
      </span>
      <span className="parley-file-name">{file.name}</span>
      <span className="parley-file-size">{fileSize(file.size, translator.locale)}</span>
      <span className="parley-visually-hidden">, {translator.t('files.downloadHint')}</span>
    </a>
  );
}

function Uploads({
  uploads,
  translator,
}: {
  uploads: readonly PendingUpload[];
  translator: Translator;
}) {
  return (
    <ul className="parley-uploads" aria-label={translator.t('files.uploading')}>
      {uploads.map((upload, i) => (
        <li key={`${upload.name}-${i}`} className="parley-upload">
          <span className="parley-file-name">{upload.name}</span>
          <progress
            max={upload.size}
            value={upload.loaded}
            aria-label={translator.t('files.uploaded', { name: upload.name })}
          />
        </li>
      ))}
    </ul>
  );
}

function iconOf(mime: string): string {
  if (mime === 'application/pdf') return '📕';
  if (mime.startsWith('text/')) return '📝';
  if (mime.includes('zip')) return '🗜️';
  if (mime.includes('sheet') || mime.includes('excel')) return '📊';
  if (mime.includes('presentation') || mime.includes('powerpoint')) return '📽️';
  return '📄';
}
