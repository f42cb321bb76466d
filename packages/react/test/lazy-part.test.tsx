// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lazyPart } from '../src/components/lazy-part.js';

afterEach(() => cleanup());

function Greeting({ name }: { name: string }) {
  return <p>Hello {name}</p>;
}

/** A loader whose first `failures` downloads fail, as a chunk does while offline. */
function flakyLoader(failures: number) {
  let calls = 0;
  return vi.fn(async () => {
    calls += 1;
    if (calls <= failures) throw new TypeError('Failed to fetch dynamically imported module');
    return { default: Greeting };
  });
}

const failed = (retry: () => void) => (
  <p role="alert">
    Could not load. <button onClick={retry}>Retry</button>
  </p>
);

describe('lazyPart', () => {
  it('shows the part once its code has loaded', async () => {
    const Part = lazyPart(flakyLoader(0));
    render(<Part name="Ana" failed={failed} />);
    expect(await screen.findByText('Hello Ana')).toBeTruthy();
  });

  it('shows the failure in the part’s place, keeps the rest of the page, and loads on retry', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const load = flakyLoader(1);
    const Part = lazyPart(load);
    render(
      <main>
        <h1>Conversation</h1>
        <Part name="Ben" failed={failed} />
        <Part name="Cy" failed={failed} />
      </main>,
    );
    const alerts = await screen.findAllByRole('alert');
    expect(alerts).toHaveLength(2);
    expect(screen.getByRole('heading', { name: 'Conversation' })).toBeTruthy();

    fireEvent.click(screen.getAllByRole('button', { name: 'Retry' })[0]!);
    expect(await screen.findByText('Hello Ben')).toBeTruthy();
    // The other part still shows its failure until its own retry, which reuses the download.
    expect(screen.getAllByRole('alert')).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('Hello Cy')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(load).toHaveBeenCalledTimes(2);
  });
});
