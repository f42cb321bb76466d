import WebSocket from 'ws';
import { closeSocket } from '../../lib/ws-connection.js';
import { baselineFrame, stampOf, type ConnectFanOut, type FanOutClient } from './fan-out-client.js';

/** The bare `ws` broadcast baseline: text frames out, every other socket gets them. */
export const connectWs: ConnectFanOut = (target) =>
  new Promise((resolve, reject) => {
    const socket = new WebSocket(target.url, { perMessageDeflate: false });
    const client: FanOutClient = {
      onReceive: () => undefined,
      send(stamp, n) {
        return new Promise((done, fail) =>
          socket.send(JSON.stringify(baselineFrame(target, stamp, n)), (error) =>
            error === undefined || error === null ? done() : fail(error),
          ),
        );
      },
      isOpen: () => socket.readyState === WebSocket.OPEN,
      close: () => closeSocket(socket),
    };
    socket.on('message', (data) => {
      const stamp = stampOf(JSON.parse(String(data)) as Record<string, unknown>);
      if (stamp !== undefined) client.onReceive(stamp);
    });
    socket.once('open', () => resolve(client));
    socket.once('error', reject);
  });
