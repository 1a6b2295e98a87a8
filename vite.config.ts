import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import mantinePreset from 'postcss-preset-mantine';

// The web app lives in web/ and is served by the API server from dist/web.
// `@modules` points at the server's pure zod schema files: they are the API
// contract, shared as-is by both sides (see web/README.md).
// The API server the dev server and `vite preview` forward to (CYBERCAP_API to point elsewhere).
const api = process.env.CYBERCAP_API ?? 'http://localhost:3000';

/** web/src/modules/<module>/messages/fr.json → chunk `messages-fr`. */
function catalogueChunk(id: string): string | null {
  const match = /\/web\/src\/modules\/[^/]+\/messages\/(\w+)\.json$/.exec(id);
  return match ? `messages-${match[1]}` : null;
}

export default defineConfig({
  root: 'web',
  publicDir: 'public',
  plugins: [react()],
  resolve: {
    alias: {
      '@modules': fileURLToPath(new URL('./src/modules', import.meta.url)),
    },
  },
  css: {
    postcss: { plugins: [mantinePreset()] },
  },
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 900,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // One file per language with the catalogues of every module, loaded on demand.
            { name: catalogueChunk },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/healthz': api,
      '/readyz': api,
    },
  },
  preview: {
    proxy: {
      '/api': api,
      '/healthz': api,
      '/readyz': api,
    },
  },
});
