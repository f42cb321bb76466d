'use client';
import { createContext, useContext } from 'react';
import { createTranslator, type Translator } from './translator.js';

/** The translator of the surrounding `ChatProvider`; English in the viewer's locale without one. */
export const LocaleContext = createContext<Translator | null>(null);

let fallback: Translator | undefined;

/** Strings and date formats for the kit's components (see `ChatProvider`'s `locale` and `messages`). */
export function useTranslator(): Translator {
  return useContext(LocaleContext) ?? (fallback ??= createTranslator());
}
