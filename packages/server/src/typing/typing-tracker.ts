/** Called when a typing state ends without a `typing.stop` (expiry or closed connection). */
export type TypingExpiredHandler = (cid: string, userId: string) => void;

/**
 * Who is typing where. States expire by themselves, so a client that vanishes mid-word
 * does not leave "typing…" on everyone's screen. With several nodes, an expiry is
 * reported by one node only.
 */
export interface TypingTracker {
  /** Starts or refreshes a state; true when the user was not typing in the channel. */
  start(cid: string, userId: string, connectionId: string): Promise<boolean>;
  /** Ends a state; true when there was one. */
  stop(cid: string, userId: string): Promise<boolean>;
  /** Users typing in the channel now. */
  typing(cid: string): Promise<string[]>;
  /** Ends every state this connection started last, calling the expired handler for each. */
  dropConnection(connectionId: string): Promise<void>;
  onExpired(handler: TypingExpiredHandler): void;
  close(): Promise<void>;
}
