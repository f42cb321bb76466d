/** A message on screen and its distance from the top of the visible part of the list. */
export interface ScrollAnchor {
  id: string;
  offset: number;
}

/** The rendered message `id`, if it is in the list. */
export function findMessage(root: HTMLElement | null, id: string): HTMLElement | null {
  if (root === null) return null;
  for (const element of root.querySelectorAll<HTMLElement>('[data-message-id]')) {
    if (element.dataset.messageId === id) return element;
  }
  return null;
}

/** Where message `id` is now, as an anchor; null when it is not rendered. */
export function anchorAt(list: HTMLElement | null, id: string | undefined): ScrollAnchor | null {
  const element = id === undefined ? null : findMessage(list, id);
  if (list === null || element === null || id === undefined) return null;
  return { id, offset: element.offsetTop - list.scrollTop };
}

/** The first message at least partly in view: what the reader is looking at. */
export function topVisible(list: HTMLElement | null): ScrollAnchor | null {
  if (list === null) return null;
  for (const element of list.querySelectorAll<HTMLElement>('[data-message-id]')) {
    if (element.offsetTop + element.offsetHeight > list.scrollTop) {
      return { id: element.dataset.messageId!, offset: element.offsetTop - list.scrollTop };
    }
  }
  return null;
}

/** Scrolls `list` so that the anchored message is where it was; false when it is gone. */
export function restore(list: HTMLElement, anchor: ScrollAnchor): boolean {
  const target = findMessage(list, anchor.id);
  if (target === null) return false;
  list.scrollTop = target.offsetTop - anchor.offset;
  return true;
}
