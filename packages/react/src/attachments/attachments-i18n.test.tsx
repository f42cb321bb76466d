// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useRef, useState, type ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { LocaleContext } from '../i18n/locale-context.js';
import { pt } from '../i18n/pt.js';
import { createTranslator } from '../i18n/translator.js';
import { InputFiles } from './input-files.js';
import { Lightbox } from './lightbox.js';

afterEach(() => cleanup());

const portuguese = createTranslator({ locale: 'pt-BR', messages: pt });
const inPortuguese = (children: ReactNode) =>
  render(<LocaleContext.Provider value={portuguese}>{children}</LocaleContext.Provider>);

function Input() {
  const [files, setFiles] = useState<File[]>([]);
  const form = useRef<HTMLFormElement>(null);
  return (
    <form ref={form}>
      <InputFiles
        files={files}
        setFiles={setFiles}
        form={form}
        acceptedFiles={['image/png', 'application/pdf']}
        maxFileSize={1_500}
        multipleUploads
      />
    </form>
  );
}

describe('file controls in Portuguese (the translation table)', () => {
  it('names the attach button, previews and refusals, with sizes in the locale', () => {
    inPortuguese(<Input />);
    expect(screen.getByRole('button', { name: 'Anexar arquivos' })).toBeTruthy();
    const picker = screen.getByLabelText<HTMLInputElement>('Arquivos a anexar');
    fireEvent.change(picker, {
      target: {
        files: [
          new File([new Uint8Array(1_200)], 'slides.pdf', { type: 'application/pdf' }),
          new File([new Uint8Array(5)], 'setup.exe', { type: 'application/x-msdownload' }),
          new File([new Uint8Array(2_000)], 'big.png', { type: 'image/png' }),
        ],
      },
    });
    expect(screen.getByRole('list', { name: 'Arquivos a enviar' }).textContent).toContain('1,2 kB');
    expect(screen.getByRole('button', { name: 'Remover slides.pdf' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe(
      'setup.exe: este tipo de arquivo não é aceito; big.png é maior que 1,5 kB',
    );
  });

  it('names the lightbox controls', () => {
    const images = [
      { url: 'http://x/a.png', name: 'a.png' },
      { url: 'http://x/b.png', name: 'b.png' },
    ];
    inPortuguese(<Lightbox images={images} index={1} onIndex={() => {}} onClose={() => {}} />);
    expect(screen.getByRole('button', { name: 'Imagem anterior' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Próxima imagem' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Fechar' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Baixar' })).toBeTruthy();
    expect(screen.getByText('2 / 2')).toBeTruthy();
  });
});
