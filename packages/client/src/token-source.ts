import { ChatError } from '@parley/protocol/codes';
import { invalid } from './arguments.js';

/** Gets a fresh user token from the app's backend; called again when the token expires. */
export type TokenProvider = () => Promise<string>;

/**
 * The user's token: a fixed string, or one from a provider that is asked again once the
 * server says the token expired. Concurrent callers share one provider call.
 */
export class TokenSource {
  private token: string | null;
  private asking: Promise<string> | null = null;

  constructor(private readonly source: string | TokenProvider) {
    this.token = typeof source === 'string' ? source : null;
  }

  /** True when an expired token can be replaced. */
  get refreshable(): boolean {
    return typeof this.source === 'function';
  }

  /** The current token, from the provider when there is none yet. */
  get(): Promise<string> {
    if (this.token !== null) return Promise.resolve(this.token);
    this.asking ??= this.ask().finally(() => (this.asking = null));
    return this.asking;
  }

  /** The token expired: the next `get()` asks the provider again. */
  expire(): void {
    if (this.refreshable) this.token = null;
  }

  private async ask(): Promise<string> {
    let token: unknown;
    try {
      token = await (this.source as TokenProvider)();
    } catch (error) {
      if (error instanceof ChatError) throw error;
      // The app's backend could not be asked; like an unreachable server, worth a retry.
      throw new ChatError('network_error', `the token provider failed: ${String(error)}`);
    }
    if (typeof token !== 'string' || token === '') {
      throw invalid('the token provider must resolve to a token string');
    }
    this.token = token;
    return token;
  }
}
