import type { ServerEvent } from '@parley/protocol';

/** Events already serialized in this process, by identity; an event is never changed once published. */
const texts = new WeakMap<ServerEvent, string>();

/**
 * `JSON.stringify(event)`, once per event object: the Redis bus sends the text that the
 * publishing node's fan-out writes to its own sockets, and the receiving node writes the
 * text it received instead of serializing the parsed event again.
 */
export function eventText(event: ServerEvent): string {
  let text = texts.get(event);
  if (text === undefined) {
    text = JSON.stringify(event);
    texts.set(event, text);
  }
  return text;
}

/** Records that `text` is `event`'s JSON (it was parsed from it). */
export function knownEventText(event: ServerEvent, text: string): void {
  texts.set(event, text);
}
