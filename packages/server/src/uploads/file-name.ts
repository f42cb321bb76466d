/** Longest name kept, in code points (most file systems allow 255 bytes). */
const MAX_NAME_LENGTH = 200;

/**
 * Characters that make a name lie or break things where it is shown or saved: C0 and C1
 * controls, bidirectional overrides, embeddings, isolates and marks (`invoice\u202Efdp.exe`
 * shows as `invoiceexe.pdf`), zero-width spaces and other invisible format characters (not the joiners emoji and many scripts need), and
 * lone surrogates.
 */
const UNSAFE =
  // eslint-disable-next-line no-control-regex -- control characters are what it removes
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * The name an upload is kept and offered under: the last segment of what the client sent
 * (no path can be smuggled into a download), without unsafe characters, trimmed, at most
 * 200 code points with its extension kept, and never empty, `.` or `..`.
 */
export function sanitizeFileName(raw: string | undefined, fallback = 'file'): string {
  let name = (raw ?? '').normalize('NFC');
  name = name.split(/[/\\]/).pop() ?? '';
  name = name.replace(UNSAFE, '').trim();
  // Leading dots would make a hidden file (or `..`) on the downloader's disk.
  name = name.replace(/^\.+/, '').trim();
  const points = [...name];
  if (points.length > MAX_NAME_LENGTH) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
    name = points.slice(0, MAX_NAME_LENGTH - [...ext].length).join('') + ext;
  }
  return name === '' ? fallback : name;
}

/**
 * A `Content-Disposition` value (RFC 6266): an ASCII `filename` for old clients and the
 * exact UTF-8 name in `filename*`.
 */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
