// Vite's types for what its build imports besides modules: the style sheets main.tsx imports for
// their side effect (TypeScript 7 checks that such an import resolves; the type checks run on it).
/// <reference types="vite/client" />
