// @vitest-environment jsdom
import './helpers/node-realm.js';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../server/test/helpers/test-server.js';
import { PDF, png } from '../../server/test/helpers/upload-fixtures.js';
import { Channel, MessageInput, MessageList } from '../src/index.js';
import { Attachments } from '../src/attachments/index.js';
import { renderAs, startServer } from './helpers/harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterEach(() => cleanup());
afterAll(() => server.close());

const file = (bytes: Uint8Array, name: string, type: string) =>
  new File([new Uint8Array(bytes)], name, { type });
const picker = () => screen.getByLabelText<HTMLInputElement>('Files to attach');
const previews = () =>
  within(screen.getByRole('list', { name: 'Files to send' }))
    .getAllByRole('listitem')
    .map((li) => li.querySelector('.parley-file-name')!.textContent);

/** ana's conversation `team:<id>` with files turned on. */
async function chat(id: string, input: Parameters<typeof MessageInput>[0] = {}) {
  await server.createChannel('team', id, ['ana', 'ben'], 'ana');
  renderAs(
    server,
    'ana',
    <Attachments>
      <Channel type="team" id={id}>
        <MessageList />
        <MessageInput {...input} />
      </Channel>
    </Attachments>,
  );
  // Connecting and watching take a while on a loaded machine.
  await screen.findByRole('button', { name: 'Attach files' }, { timeout: 15_000 });
}

describe('MessageInput with files', () => {
  it('adds picked, pasted and dropped files as previews, refuses what the props do not accept, and removes', async () => {
    await chat('pick', {
      acceptedFiles: ['image/*', 'application/pdf'],
      maxFileSize: 1_000,
      multipleUploads: true,
    });
    const slides = file(PDF, 'slides.pdf', 'application/pdf');
    fireEvent.change(picker(), { target: { files: [slides] } });
    expect(previews()).toEqual(['slides.pdf']);

    const form = document.querySelector('form.parley-input')!;
    const photo = file(new Uint8Array(10), 'pasted.png', 'image/png');
    fireEvent.paste(form, { clipboardData: { files: [photo], types: ['Files'] } });
    fireEvent.drop(form, {
      dataTransfer: {
        files: [file(new Uint8Array(5), 'notes.exe', 'application/x-msdownload')],
        types: ['Files'],
      },
    });
    expect(previews()).toEqual(['slides.pdf', 'pasted.png']);
    expect(screen.getByRole('alert').textContent).toMatch(
      /notes\.exe: this type of file is not accepted/,
    );

    fireEvent.change(picker(), {
      target: { files: [file(new Uint8Array(2_000), 'huge.png', 'image/png')] },
    });
    expect(screen.getByRole('alert').textContent).toMatch(/huge\.png is larger than 1 kB/);

    fireEvent.click(screen.getByRole('button', { name: 'Remove slides.pdf' }));
    expect(previews()).toEqual(['pasted.png']);
  });

  it('keeps one file without multipleUploads', async () => {
    await chat('single');
    fireEvent.change(picker(), { target: { files: [file(PDF, 'a.pdf', 'application/pdf')] } });
    fireEvent.change(picker(), { target: { files: [file(PDF, 'b.pdf', 'application/pdf')] } });
    expect(previews()).toEqual(['b.pdf']);
    expect(picker().multiple).toBe(false);
  });

  it('sends the files with the message, which then shows its image and file chip; the image opens in a lightbox', async () => {
    await chat('send', { multipleUploads: true });
    const image = await png();
    fireEvent.change(picker(), {
      target: {
        files: [file(image, 'photo.png', 'image/png'), file(PDF, 'slides.pdf', 'application/pdf')],
      },
    });
    // Files alone may be sent: the button is enabled without text.
    const send = screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement;
    expect(send.disabled).toBe(false);
    act(() => send.click());
    expect(screen.queryByRole('list', { name: 'Files to send' })).toBeNull();

    const open = await screen.findByRole('button', { name: 'Open photo.png' }, { timeout: 15_000 });
    const thumb = open.querySelector('img')!;
    expect(thumb.alt).toBe('photo.png');
    expect(thumb.src).toMatch(new RegExp(`^${server.url}/files/.+variant=thumb`));
    const chip = screen.getByRole('link', { name: /slides\.pdf/ }) as HTMLAnchorElement;
    expect(chip.textContent).toMatch(/slides\.pdf.*B/);
    expect(
      (await server.download(new URL(chip.href).pathname + new URL(chip.href).search)).bytes.equals(
        PDF,
      ),
    ).toBe(true);

    act(() => open.click());
    const dialog = screen.getByRole('dialog', { name: 'photo.png' });
    expect(within(dialog).getByRole('img').getAttribute('alt')).toBe('photo.png');
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Close' }));
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(open);
  });
});

describe('MessageList without <Attachments>', () => {
  it('shows no file controls in the input', async () => {
    await server.createChannel('team', 'plain', ['ana', 'ben'], 'ana');
    renderAs(
      server,
      'ana',
      <Channel type="team" id="plain">
        <MessageList />
        <MessageInput acceptedFiles={['image/*']} />
      </Channel>,
    );
    await screen.findByRole('textbox', { name: 'Message' }, { timeout: 15_000 });
    expect(screen.queryByRole('button', { name: 'Attach files' })).toBeNull();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Send' })).toBeTruthy());
  });
});
