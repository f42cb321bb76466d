import { io } from 'socket.io-client';
import { baselineFrame, stampOf, type ConnectFanOut, type FanOutClient } from './fan-out-client.js';

/** The Socket.IO room baseline, over its WebSocket transport only (no long-polling start). */
export const connectSocketIo: ConnectFanOut = (target) =>
  new Promise((resolve, reject) => {
    const socket = io(target.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      timeout: 15_000,
    });
    const client: FanOutClient = {
      onReceive: () => undefined,
      async send(stamp, n) {
        socket.emit('message', baselineFrame(target, stamp, n));
      },
      isOpen: () => socket.connected,
      async close() {
        socket.disconnect();
      },
    };
    socket.on('message', (frame: Record<string, unknown>) => {
      const stamp = stampOf(frame);
      if (stamp !== undefined) client.onReceive(stamp);
    });
    socket.once('connect', () => resolve(client));
    socket.once('connect_error', reject);
  });
