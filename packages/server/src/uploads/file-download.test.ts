import { describe, expect, it } from 'vitest';
import { parseRange } from './file-download.js';

describe('Range headers of downloads', () => {
  it('reads one bytes range in each of its forms', () => {
    expect(parseRange('bytes=0-99', 1000)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=900-', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=-100', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=990-5000', 1000)).toEqual({ start: 990, end: 999 });
    expect(parseRange('bytes=0-0', 1)).toEqual({ start: 0, end: 0 });
  });

  it('ignores what it does not serve: several ranges, other units, nonsense', () => {
    for (const header of [undefined, '', 'bytes=0-1,5-6', 'items=0-1', 'bytes=-', 'bytes=5-1']) {
      expect(parseRange(header, 1000), String(header)).toBeUndefined();
    }
  });

  it('refuses a range past the end with range_not_satisfiable', () => {
    expect(() => parseRange('bytes=1000-', 1000)).toThrow(
      expect.objectContaining({ code: 'range_not_satisfiable' }),
    );
  });
});
