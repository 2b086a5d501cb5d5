import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { precompress } from '../web-common/build/precompress.ts';

// The shopper's H5 shop, served by the Fanli server at `/`. `npm run dev` proxies the
// API to a server on localhost:3000 (`npx fanli start --demo`).
export default defineConfig({
  base: '/',
  plugins: [react(), precompress({ firstLoadBudgetKb: 165 })],
  // antd-mobile is hoisted to the root node_modules, where another React may live: one
  // React for the whole bundle, the shop's own (React 19).
  resolve: { dedupe: ['react', 'react-dom', 'scheduler'] },
  // Budgets (docs/web.md): Vite warns about a chunk over 600 kB minified (the entry,
  // React, antd-mobile and the home page, is the largest); the precompress plugin
  // fails the build when the first page's JavaScript passes 165 kB as served (brotli).
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 600 },
  server: {
    port: 5173,
    proxy: { '/api': 'http://localhost:3000', '/sandbox': 'http://localhost:3000' },
  },
});
