import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The console is served by the Nest process from dist/web (src/console/console-static.ts).
// Preact's JSX through Vite's own transformer: no framework plugin needed.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  publicDir: false,
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    sourcemap: false,
    // The bundle budget (200 KB gzipped) is reported by scripts/console-size.ts, not a warning.
    chunkSizeWarningLimit: 1000,
    // Vite's module-preload polyfill is an inline-free import, but modern browsers need none.
    modulePreload: { polyfill: false },
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: { alias: { react: 'preact/compat', 'react-dom': 'preact/compat' } },
});
