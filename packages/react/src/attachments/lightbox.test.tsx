// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { Lightbox } from './lightbox.js';

afterEach(() => cleanup());

const IMAGES = [
  { url: 'http://x/a.png', name: 'first.png' },
  { url: 'http://x/b.png', name: 'second.png' },
];

function Harness() {
  const [index, setIndex] = useState(0);
  const [open, setOpen] = useState(true);
  return open ? (
    <Lightbox images={IMAGES} index={index} onIndex={setIndex} onClose={() => setOpen(false)} />
  ) : (
    <p>closed</p>
  );
}

describe('Lightbox', () => {
  it('goes through the images with the arrow keys, keeps Tab inside, and closes on Escape', () => {
    render(<Harness />);
    const dialog = screen.getByRole('dialog', { name: 'first.png' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    fireEvent.keyDown(dialog, { key: 'ArrowRight' });
    expect(screen.getByRole('img').getAttribute('alt')).toBe('second.png');
    expect(screen.getByText('2 / 2')).toBeTruthy();
    fireEvent.keyDown(dialog, { key: 'ArrowRight' });
    expect(screen.getByRole('img').getAttribute('alt')).toBe('first.png');

    // Focus starts on Close, the last control: Tab wraps to the first, Shift+Tab back.
    const close = screen.getByRole('button', { name: 'Close' });
    expect(document.activeElement).toBe(close);
    fireEvent.keyDown(dialog, { key: 'Tab' });
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Previous image' }));
    fireEvent.keyDown(dialog, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(close);

    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.getByText('closed')).toBeTruthy();
  });
});
