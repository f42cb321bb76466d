import { describe, expect, it } from 'vitest';
import { FileUrls } from './file-urls.js';

const SECRET = 'a-secret-that-is-at-least-32-characters';
const T = 1_800_000_000_000;

function parts(url: string) {
  const parsed = new URL(url, 'http://x');
  return {
    id: parsed.pathname.split('/').pop()!,
    exp: Number(parsed.searchParams.get('exp')),
    sig: parsed.searchParams.get('sig')!,
    variant: parsed.searchParams.get('variant'),
  };
}

describe('signed file URLs', () => {
  const urls = new FileUrls(SECRET, 3600, () => T);

  it('accept their own signature until they expire, then say expired', () => {
    const { id, exp, sig } = parts(urls.sign('f1'));
    expect(exp * 1000).toBeGreaterThanOrEqual(T + 3600_000);
    expect(urls.verify(id, 'original', exp, sig)).toBe('ok');
    const later = new FileUrls(SECRET, 3600, () => exp * 1000);
    expect(later.verify(id, 'original', exp, sig)).toBe('expired');
  });

  it('refuse a signature moved to another file, variant or expiry', () => {
    const { exp, sig } = parts(urls.sign('f1'));
    expect(urls.verify('f2', 'original', exp, sig)).toBe('invalid');
    expect(urls.verify('f1', 'thumb', exp, sig)).toBe('invalid');
    expect(urls.verify('f1', 'original', exp + 3600, sig)).toBe('invalid');
    expect(urls.verify('f1', 'original', exp, sig.slice(0, -1) + 'A')).not.toBe('ok');
  });

  it('refuse URLs signed with another secret', () => {
    const { exp, sig } = parts(new FileUrls(`${SECRET}!`, 3600, () => T).sign('f1'));
    expect(urls.verify('f1', 'original', exp, sig)).toBe('invalid');
  });

  it('sign thumbnails apart from their file', () => {
    const thumb = parts(urls.sign('f1', 'thumb'));
    expect(thumb.variant).toBe('thumb');
    expect(urls.verify('f1', 'thumb', thumb.exp, thumb.sig)).toBe('ok');
  });
});
