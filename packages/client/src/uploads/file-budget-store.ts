import { isAction, type QueuedItem, type QueueStore } from '../queue/queue-store.js';

/**
 * A queue store that keeps the bytes of queued files up to `maxBytes` in all, oldest
 * message first: past that, a file is saved without its bytes (the message then fails
 * after a reload, asking for the file again; in the same page it is sent as usual).
 */
export function withFileBudget(inner: QueueStore, maxBytes: number): QueueStore {
  const strip = (items: QueuedItem[]) => {
    let left = maxBytes;
    return items.map((item) =>
      isAction(item)
        ? item
        : {
            ...item,
            attachments: item.attachments?.map((file) => {
              const size = file.blob?.size ?? 0;
              if (size <= left) {
                left -= size;
                return file;
              }
              const kept = { ...file };
              delete kept.blob;
              return kept;
            }),
          },
    );
  };
  return { load: () => inner.load(), save: (items) => inner.save(strip(items)) };
}
