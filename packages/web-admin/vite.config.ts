import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { precompress } from '../web-common/build/precompress.ts';

// The merchant console, served by the Fanli server at `/admin/`. `npm run dev` proxies the
// API to a server on localhost:3000 (`npx fanli start --demo`).
export default defineConfig({
  base: '/admin/',
  plugins: [react(), precompress({ firstLoadBudgetKb: 280 })],
  // The workspace root may hoist another React major (a dependency of another package);
  // antd and every other library must share the console's own React, or hooks break.
  resolve: { dedupe: ['react', 'react-dom', 'scheduler'] },
  // Budgets (docs/web.md): Vite warns about a chunk over 1000 kB minified (the entry,
  // React, antd and the login page, is the largest); the precompress plugin fails the build when the first
  // page's JavaScript passes 280 kB as served (brotli).
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1000 },
  server: {
    port: 5174,
    proxy: { '/api': 'http://localhost:3000', '/sandbox': 'http://localhost:3000' },
  },
});
