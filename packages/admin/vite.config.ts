import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The console's static build, in dist/: the Parley server serves it at /admin (hashed
 * file names under assets/, so they are cached for good). No React plug-in: esbuild's JSX
 * transform is all a production build needs.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/admin/',
  logLevel: 'warn',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Everything as files: the CSP allows the console's own files, not inline code.
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
});
