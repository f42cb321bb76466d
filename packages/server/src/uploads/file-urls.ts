import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** Expiry times are rounded up to this, so that a file's URL stays the same (and cached) for a while. */
const EXPIRY_STEP_S = 300;

/** What a signed URL points at: a file, or its thumbnail. */
export type FileVariant = 'original' | 'thumb';

/**
 * Signed, expiring file URLs: `/files/<id>?exp=<s>&sig=<HMAC>`. The key is derived from the
 * app secret (HKDF), so it signs nothing else and tokens cannot be passed off as URLs.
 */
export class FileUrls {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'parley', 'file-urls', 32));
  }

  /** A path with its query, relative to the server's base URL. */
  sign(id: string, variant: FileVariant = 'original'): string {
    const earliest = Math.ceil(this.now() / 1000) + this.ttlSeconds;
    const exp = Math.ceil(earliest / EXPIRY_STEP_S) * EXPIRY_STEP_S;
    const query = variant === 'thumb' ? `variant=thumb&` : '';
    return `/files/${id}?${query}exp=${exp}&sig=${this.signature(id, variant, exp)}`;
  }

  /** `ok`, `expired` (a valid signature whose time has passed) or `invalid`. */
  verify(id: string, variant: FileVariant, exp: number, sig: string): 'ok' | 'expired' | 'invalid' {
    const expected = Buffer.from(this.signature(id, variant, exp));
    const given = Buffer.from(sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
    return exp * 1000 <= this.now() ? 'expired' : 'ok';
  }

  /** Seconds until `exp`. */
  secondsLeft(exp: number): number {
    return Math.max(0, Math.floor(exp - this.now() / 1000));
  }

  private signature(id: string, variant: FileVariant, exp: number): string {
    return createHmac('sha256', this.key).update(`${id}\n${variant}\n${exp}`).digest('base64url');
  }
}
