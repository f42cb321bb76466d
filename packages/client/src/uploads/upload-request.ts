import { ChatError, errorStatus } from '@parley/protocol/codes';
import type { Attachment, ErrorBody } from '@parley/protocol';
import { abortError } from './uploader.js';

/** One `POST /uploads`: where, with which headers, and what to tell on the way. */
export interface UploadRequest {
  url: string;
  headers: Record<string, string>;
  form: FormData;
  /** Called with the bytes sent so far (only at the end where progress is not observable). */
  progress(loaded: number): void;
  signal: AbortSignal | undefined;
}

type Answer = { status: number; text: string };

/**
 * Sends a form: through XMLHttpRequest where there is one, the only browser API that tells
 * upload progress; through fetch elsewhere (Node). Resolves with the stored attachment.
 */
export async function postUpload(request: UploadRequest): Promise<Attachment> {
  const XHR = (globalThis as { XMLHttpRequest?: typeof XMLHttpRequest }).XMLHttpRequest;
  let answer: Answer;
  try {
    answer = await (XHR === undefined ? viaFetch(request) : viaXhr(request, XHR));
  } catch (error) {
    if (request.signal?.aborted) throw abortError();
    throw new ChatError('network_error', `upload: ${String(error)}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    body = undefined;
  }
  if (answer.status === 201) return body as Attachment;
  const error = (body as Partial<ErrorBody> | undefined)?.error;
  if (error?.code !== undefined && error.code in errorStatus) throw ChatError.fromBody({ error });
  throw new ChatError('network_error', `upload: HTTP ${answer.status}`);
}

function viaXhr(request: UploadRequest, XHR: typeof XMLHttpRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const xhr = new XHR();
    xhr.open('POST', request.url);
    for (const [name, value] of Object.entries(request.headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => request.progress(e.loaded);
    xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText });
    xhr.onerror = xhr.onabort = () => reject(new Error('the upload did not complete'));
    request.signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(request.form);
  });
}

async function viaFetch(request: UploadRequest): Promise<Answer> {
  const res = await fetch(request.url, {
    method: 'POST',
    headers: request.headers,
    body: request.form,
    signal: request.signal,
  });
  const text = await res.text();
  return { status: res.status, text };
}
