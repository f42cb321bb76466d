// Lets TypeScript (noUncheckedSideEffectImports) resolve `import "@parley/react/styles.css"`.
export {};
