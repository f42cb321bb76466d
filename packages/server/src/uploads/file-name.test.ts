import { describe, expect, it } from 'vitest';
import { contentDisposition, sanitizeFileName } from './file-name.js';

describe('upload file names', () => {
  it('keeps ordinary names, in any script', () => {
    expect(sanitizeFileName('slides final (2).pdf')).toBe('slides final (2).pdf');
    expect(sanitizeFileName('会议记录.docx')).toBe('会议记录.docx');
    expect(sanitizeFileName('سيرة ذاتية.pdf')).toBe('سيرة ذاتية.pdf');
  });

  it('drops the path: only the last segment of / or \\ paths is kept', () => {
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFileName('C:\\Users\\ann\\cv.pdf')).toBe('cv.pdf');
    expect(sanitizeFileName('..')).toBe('file');
    expect(sanitizeFileName('dir/')).toBe('file');
    expect(sanitizeFileName('.bashrc')).toBe('bashrc');
  });

  it('removes right-to-left overrides and other bidi and control characters', () => {
    expect(sanitizeFileName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(sanitizeFileName('a\u2066b\u2069c\u200F.txt')).toBe('abc.txt');
    expect(sanitizeFileName('line\r\nbreak\u0000.txt')).toBe('linebreak.txt');
    expect(sanitizeFileName('bad\ud800.txt')).toBe('bad.txt');
    expect(sanitizeFileName('👩‍👩‍👧.png')).toBe('👩‍👩‍👧.png');
  });

  it('shortens long names and keeps their extension', () => {
    const name = sanitizeFileName(`${'a'.repeat(500)}.pdf`);
    expect([...name].length).toBe(200);
    expect(name.endsWith('.pdf')).toBe(true);
  });

  it('is "file" when nothing is left', () => {
    expect(sanitizeFileName(undefined)).toBe('file');
    expect(sanitizeFileName('\u202E\u0000 ')).toBe('file');
  });

  it('writes a Content-Disposition with an ASCII fallback and the exact UTF-8 name', () => {
    expect(contentDisposition('attachment', 'cv "final".pdf')).toBe(
      `attachment; filename="cv _final_.pdf"; filename*=UTF-8''cv%20%22final%22.pdf`,
    );
    expect(contentDisposition('inline', 'é.png')).toBe(
      `inline; filename="_.png"; filename*=UTF-8''%C3%A9.png`,
    );
  });
});
