#!/usr/bin/env node
// Fan-out baseline: the socket layer's ceiling. A bare `ws` server with no storage, no
// protocol and no auth: every text frame it receives goes to every other open socket.
import WebSocket, { WebSocketServer } from 'ws';

const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
server.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => {
    for (const other of server.clients) {
      if (other !== socket && other.readyState === WebSocket.OPEN)
        other.send(data, { binary: isBinary });
    }
  });
});
server.on('listening', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('expected a TCP address');
  process.stdout.write(`ws broadcast server at ws://127.0.0.1:${address.port}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => server.close(() => process.exit(0)));
}
