import { openParleyConnection } from '../../lib/ws-connection.js';
import { stampOf, type ConnectFanOut } from './fan-out-client.js';

/** Parley over raw `ws`: receivers watch the channel, the sender sends `message.send`. */
export const connectParley: ConnectFanOut = async (target, user, role) => {
  const connection = await openParleyConnection(target.url, user.userId, user.token);
  const client = {
    onReceive: (() => undefined) as (stamp: { t: number; s: number }) => void,
    async send(stamp: { t: number; s: number }, n: number) {
      await connection.request({
        type: 'message.send',
        cid: target.cid,
        message: { id: `fan-out-${n}`, text: 'fan-out', data: stamp },
      });
    },
    isOpen: () => connection.socket.readyState === connection.socket.OPEN,
    close: () => connection.close(),
  };
  connection.onEvent = (frame) => {
    const stamp = stampOf(frame);
    if (stamp !== undefined) client.onReceive(stamp);
  };
  if (role === 'receiver') {
    try {
      await connection.request({ type: 'channel.watch', cid: target.cid, message_limit: 0 });
    } catch (error) {
      await connection.close();
      throw error;
    }
  }
  return client;
};
