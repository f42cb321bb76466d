import type { ChatClient, TokenProvider } from '@parley/client';
import { DeferredRelease } from './deferred-release.js';

/** Where the user's session is, as `useChatClient` reports it. */
export interface SessionSnapshot {
  userId: string | null;
  loading: boolean;
  error: Error | null;
}

const IDLE: SessionSnapshot = { userId: null, loading: false, error: null };

/**
 * One connected user per client, shared by every `useChatClient` under a provider: the
 * first caller connects, later ones join, and the last to leave disconnects.
 */
export class UserSession {
  private snapshot: SessionSnapshot = IDLE;
  private readonly listeners = new Set<() => void>();
  private tokenProvider: TokenProvider = () => Promise.reject(new Error('no token provider'));
  private readonly refs = new DeferredRelease(() => this.end());
  /** The disconnect of the previous user, which a new `connectUser` has to wait for. */
  private stopping: Promise<void> = Promise.resolve();

  constructor(private readonly client: ChatClient) {}

  get current(): SessionSnapshot {
    return this.snapshot;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Joins (or starts) the session of `userId`; the latest token provider is used for refreshes. */
  join(userId: string, tokenProvider: TokenProvider): void {
    this.tokenProvider = tokenProvider;
    this.refs.acquire();
    if (this.snapshot.userId === userId) return;
    if (this.snapshot.userId !== null) this.stopping = this.client.disconnect();
    // The app may have connected a client it passed in itself.
    if (this.client.user?.id === userId && this.client.state !== 'disconnected') {
      return this.set({ userId, loading: false, error: null });
    }
    this.set({ userId, loading: true, error: null });
    const connect = () => this.client.connectUser({ id: userId }, () => this.tokenProvider());
    this.stopping.then(connect).then(
      () => {
        if (this.snapshot.userId === userId) this.set({ userId, loading: false, error: null });
      },
      (error: Error) => {
        if (this.snapshot.userId === userId) this.set({ userId, loading: false, error });
      },
    );
  }

  leave(): void {
    this.refs.drop();
  }

  private end(): void {
    if (this.snapshot.userId === null) return;
    this.set(IDLE);
    this.stopping = this.client.disconnect();
  }

  private set(snapshot: SessionSnapshot): void {
    this.snapshot = snapshot;
    for (const listener of this.listeners) listener();
  }
}

const sessions = new WeakMap<ChatClient, UserSession>();

/** The session of a client (one per client). */
export function sessionOf(client: ChatClient): UserSession {
  let session = sessions.get(client);
  if (session === undefined) sessions.set(client, (session = new UserSession(client)));
  return session;
}
