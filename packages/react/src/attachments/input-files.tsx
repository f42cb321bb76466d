'use client';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { InputFilesProps } from '../components/attachment-slots.js';
import { useTranslator } from '../i18n/locale-context.js';
import type { Translator } from '../i18n/translator.js';
import { fileSize, refusal } from './file-rules.js';

/** Most files on one message (the server's limit). */
const MAX_FILES = 10;

/**
 * The message input's file controls: an attach button, files dropped on the input or
 * pasted into it, previews with a remove button each, and refusals shown in place.
 */
export function InputFiles({
  files,
  setFiles,
  form,
  acceptedFiles,
  maxFileSize,
  multipleUploads,
}: InputFilesProps) {
  const picker = useRef<HTMLInputElement>(null);
  const translator = useTranslator();
  const { t } = translator;
  const [errors, setErrors] = useState<string[]>([]);
  const [dragging, setDragging] = useState(false);
  const errorId = useId();
  // The latest state for the listeners below, which are added once.
  const latest = useRef({
    files,
    setFiles,
    acceptedFiles,
    maxFileSize,
    multipleUploads,
    translator,
  });
  latest.current = { files, setFiles, acceptedFiles, maxFileSize, multipleUploads, translator };

  const add = (added: readonly File[]) => {
    const { files, setFiles, acceptedFiles, maxFileSize, multipleUploads, translator } =
      latest.current;
    const problems: string[] = [];
    const ok = added.filter((file) => {
      const why = refusal(file, acceptedFiles, maxFileSize, translator.locale);
      if (why !== null) problems.push(translator.t(why.key, why.values));
      return why === null;
    });
    const max = multipleUploads ? MAX_FILES : 1;
    let next = multipleUploads ? [...files, ...ok] : ok.slice(-1);
    if (next.length > max) {
      problems.push(translator.plural('files.tooMany', max));
      next = next.slice(0, max);
    }
    setErrors(problems);
    if (ok.length > 0) setFiles(next);
  };

  useEffect(() => {
    const element = form.current;
    if (element === null) return;
    const onDragOver = (event: DragEvent) => {
      if (!event.dataTransfer?.types.includes('Files')) return;
      event.preventDefault(); // allows the drop
      setDragging(true);
    };
    const onDragLeave = () => setDragging(false);
    const onDrop = (event: DragEvent) => {
      setDragging(false);
      const dropped = [...(event.dataTransfer?.files ?? [])];
      if (dropped.length === 0) return;
      event.preventDefault(); // the browser would open the file
      add(dropped);
    };
    const onPaste = (event: ClipboardEvent) => {
      const pasted = [...(event.clipboardData?.files ?? [])];
      if (pasted.length === 0) return; // text: the text box takes it
      event.preventDefault();
      add(pasted);
    };
    element.addEventListener('dragover', onDragOver);
    element.addEventListener('dragleave', onDragLeave);
    element.addEventListener('drop', onDrop);
    element.addEventListener('paste', onPaste);
    return () => {
      element.removeEventListener('dragover', onDragOver);
      element.removeEventListener('dragleave', onDragLeave);
      element.removeEventListener('drop', onDrop);
      element.removeEventListener('paste', onPaste);
    };
  }, [form]);

  useEffect(() => {
    form.current?.classList.toggle('parley-input-dragging', dragging);
  }, [form, dragging]);

  return (
    <div className="parley-input-files">
      <input
        ref={picker}
        type="file"
        hidden
        accept={acceptedFiles?.join(',')}
        multiple={multipleUploads}
        aria-label={t('files.picker')}
        onChange={(event) => {
          add([...(event.target.files ?? [])]);
          event.target.value = ''; // the same file can be picked again after a remove
        }}
      />
      <button
        type="button"
        className="parley-button parley-attach"
        aria-label={t('files.attach')}
        aria-describedby={errors.length > 0 ? errorId : undefined}
        onClick={() => picker.current?.click()}
      >
        📎
      </button>
      {files.length > 0 ? (
        <ul className="parley-previews" aria-label={t('files.toSend')}>
          {files.map((file, i) => (
            <Preview
              key={`${file.name}-${file.size}-${i}`}
              file={file}
              translator={translator}
              onRemove={() => {
                setErrors([]);
                setFiles(files.filter((_, j) => j !== i));
              }}
            />
          ))}
        </ul>
      ) : null}
      {errors.length > 0 ? (
        <p id={errorId} role="alert" className="parley-input-error">
          {errors.join('; ')}
        </p>
      ) : null}
    </div>
  );
}

function Preview({
  file,
  translator,
  onRemove,
}: {
  file: File;
  translator: Translator;
  onRemove(): void;
}) {
  const image = file.type.startsWith('image/');
  const url = useMemo(
    () => (image && typeof URL.createObjectURL === 'function' ? URL.createObjectURL(file) : null),
    [file, image],
  );
  useEffect(() => () => (url === null ? undefined : URL.revokeObjectURL(url)), [url]);
  return (
    <li className="parley-preview">
      {url === null ? (
        <span className="parley-file-icon" aria-hidden="true">
          📄
        </span>
      ) : (
        <img className="parley-preview-image" src={url} alt="" />
      )}
      <span className="parley-file-name">{file.name}</span>
      <span className="parley-file-size">{fileSize(file.size, translator.locale)}</span>
      <button
        type="button"
        className="parley-button parley-remove"
        aria-label={translator.t('files.remove', { name: file.name })}
        onClick={onRemove}
      >
        ×
      </button>
    </li>
  );
}
