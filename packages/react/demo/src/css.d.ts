// esbuild bundles the CSS that app.tsx imports; TypeScript only needs to know it exists.
declare module '*.css';
