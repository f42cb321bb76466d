// Vitest's jsdom environment replaces the global Uint8Array with jsdom's, while Node's
// TextEncoder and crypto still make Node's: `jose` (signing tokens in the server) then
// refuses its own key ("must be … Uint8Array. Received an instance of Uint8Array"). The
// server runs in this process, so it gets Node's class back. Import before anything else.
import { TextEncoder } from 'node:util';

const NodeUint8Array = Object.getPrototypeOf(new TextEncoder().encode(''))
  .constructor as Uint8ArrayConstructor;
if (globalThis.Uint8Array !== NodeUint8Array) globalThis.Uint8Array = NodeUint8Array;
