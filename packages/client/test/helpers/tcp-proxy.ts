import net from 'node:net';

/** One proxied connection: the client's socket and ours to the server. */
interface Link {
  client: net.Socket;
  server: net.Socket;
  /** Server→client chunks held back by `delayServer`, oldest first, each with its release time. */
  held: { at: number; chunk: Buffer }[];
  timer: NodeJS.Timeout | undefined;
  serverClosed: boolean;
  /** Passes nothing from the server on, not even its close: a half-open link. */
  stalled: boolean;
}

/**
 * A TCP proxy on 127.0.0.1 in front of a server, so a test can break the link the way a
 * network does: drop every connection (`cut`), refuse new ones (`pause`), or hold the
 * server's answers back (`delayServer`). Point the client at `proxy.url`.
 */
export class TcpProxy {
  /** Connections that reached the proxy, refused ones included. */
  connectionAttempts = 0;
  private readonly links = new Set<Link>();
  /** Every socket ever opened, so `close` can end even half-closed ones. */
  private readonly sockets = new Set<net.Socket>();
  private paused = false;
  private serverDelayMs = 0;

  private constructor(
    private readonly listener: net.Server,
    readonly port: number,
    private readonly targetPort: number,
  ) {
    listener.on('connection', (socket) => this.accept(socket));
  }

  /** Starts a proxy on a free port that forwards to `127.0.0.1:targetPort`. */
  static async start(targetPort: number): Promise<TcpProxy> {
    const listener = net.createServer();
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(0, '127.0.0.1', () => resolve());
    });
    const address = listener.address();
    if (address === null || typeof address === 'string') throw new Error('proxy has no port');
    return new TcpProxy(listener, address.port, targetPort);
  }

  /** The REST base URL through the proxy (the client derives its WebSocket URL from it). */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Open proxied connections. */
  get openConnections(): number {
    return this.links.size;
  }

  /** Drops every open connection on both sides, as a lost network would. */
  cut(): void {
    for (const link of [...this.links]) this.drop(link);
  }

  /** From now on, new connections are accepted and dropped at once (the server is "unreachable"). */
  pause(): void {
    this.paused = true;
  }

  /** New connections are forwarded again. */
  resume(): void {
    this.paused = false;
  }

  /**
   * Holds every server→client byte that arrives from now on for `ms` before passing it on
   * (0 ends the delay; bytes already held still keep their order). Client→server bytes
   * are not delayed, so the server does the work at once and only its answer is late.
   */
  delayServer(ms: number): void {
    this.serverDelayMs = ms;
  }

  /**
   * The open links go silent: nothing from the server reaches the client any more, not
   * even a close, and nothing tells the client so (a sleeping laptop, a NAT that forgot
   * the connection). New connections are not affected.
   */
  stall(): void {
    for (const link of this.links) link.stalled = true;
  }

  /** Drops every connection and stops listening. */
  async close(): Promise<void> {
    this.cut();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.listener.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    this.connectionAttempts += 1;
    this.track(client);
    if (this.paused) {
      client.destroy();
      return;
    }
    const server = net.connect(this.targetPort, '127.0.0.1');
    this.track(server);
    server.setNoDelay(true);
    client.setNoDelay(true);
    const link: Link = {
      client,
      server,
      held: [],
      timer: undefined,
      serverClosed: false,
      stalled: false,
    };
    this.links.add(link);
    client.on('data', (chunk) => {
      if (!server.destroyed) server.write(chunk);
    });
    server.on('data', (chunk) => this.toClient(link, chunk));
    // Either side ending ends the link: a half-open proxy would hide the failure.
    client.on('close', () => this.drop(link));
    server.on('close', () => this.onServerClose(link));
  }

  private toClient(link: Link, chunk: Buffer): void {
    if (link.stalled) return;
    const at = Date.now() + this.serverDelayMs;
    if (link.held.length === 0 && this.serverDelayMs === 0) {
      link.client.write(chunk);
      return;
    }
    link.held.push({ at, chunk });
    if (link.timer === undefined) this.release(link);
  }

  /** Passes on the held chunks that are due, strictly in arrival order, then waits for the next. */
  private release(link: Link): void {
    link.timer = undefined;
    while (link.held.length > 0 && link.held[0]!.at <= Date.now()) {
      link.client.write(link.held.shift()!.chunk);
    }
    if (link.held.length > 0) {
      link.timer = setTimeout(() => this.release(link), link.held[0]!.at - Date.now());
    } else if (link.serverClosed) {
      this.drop(link, true);
    }
  }

  /** The server closed: pass on what it sent before, then close the client side too. */
  private onServerClose(link: Link): void {
    link.serverClosed = true;
    if (link.stalled) link.server.destroy();
    else if (link.held.length === 0) this.drop(link, true);
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    // A reset from either side is an expected event here, not a test failure.
    socket.on('error', () => {});
    socket.on('close', () => this.sockets.delete(socket));
  }

  private drop(link: Link, graceful = false): void {
    if (!this.links.delete(link)) return;
    clearTimeout(link.timer);
    link.held = [];
    if (graceful) link.client.end();
    else link.client.destroy();
    link.server.destroy();
  }
}
