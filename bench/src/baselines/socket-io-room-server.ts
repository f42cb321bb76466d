#!/usr/bin/env node
// Fan-out baseline: what teams hand-roll. A Socket.IO server that puts every socket in one
// room and relays each `message` event to the rest of the room; no storage, no auth.
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const http = createServer();
const io = new Server(http, { serveClient: false });
io.on('connection', (socket) => {
  void socket.join('fan-out');
  socket.on('message', (frame: unknown) => socket.to('fan-out').emit('message', frame));
});
http.listen(0, '127.0.0.1', () => {
  const address = http.address();
  if (address === null || typeof address === 'string') throw new Error('expected a TCP address');
  process.stdout.write(`Socket.IO room server at http://127.0.0.1:${address.port}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void io.close(() => process.exit(0)));
}
