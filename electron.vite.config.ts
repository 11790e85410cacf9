import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { buildContentSecurityPolicy } from './src/shared/content-security-policy';
import { DEFAULT_BACKEND_URL } from './src/shared/app-constants';

// The backend the packaged renderer may talk to is fixed at build time and written into the CSP.
// The browser fallback is served by the backend itself, which sends its own CSP header ('self').
const backendUrl = process.env.JK_BACKEND_URL ?? DEFAULT_BACKEND_URL;

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // keytar is a native module: loaded from node_modules at run time, never bundled.
      rollupOptions: { input: resolve(import.meta.dirname, 'src/main/index.ts'), external: ['keytar'] },
    },
    define: { 'process.env.JK_BUILD_BACKEND_URL': JSON.stringify(backendUrl) },
  },
  preload: {
    // A sandboxed preload must be one CommonJS file: with "type": "module" electron-vite would emit
    // ESM, which Electron only runs with sandbox: false (see STACK.md).
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: resolve(import.meta.dirname, 'src/preload/index.ts'),
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    plugins: [
      react(),
      {
        name: 'journalkontor-csp',
        transformIndexHtml: (html) =>
          html.replace('%CONTENT_SECURITY_POLICY%', buildContentSecurityPolicy({ connectSources: [backendUrl], delivery: 'meta' })),
      },
    ],
    build: {
      minify: true,
      // The pages are lazy chunks (React.lazy, issue 9 §5); what the login page needs is one chunk
      // (every module the entry imports statically), not two dozen small requests before it shows.
      // `npm run bench -- --only=bundle` measures it: at most 200 KB gzipped.
      chunkSizeWarningLimit: 700,
      outDir: resolve(import.meta.dirname, 'out/renderer'),
      rollupOptions: {
        input: resolve(import.meta.dirname, 'src/renderer/index.html'),
        output: { codeSplitting: { groups: [{ name: 'initial', tags: ['$initial'] }] } },
      },
    },
  },
});
