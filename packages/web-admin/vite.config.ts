import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The merchant console, served by the Fanli server at `/admin/`. `npm run dev` proxies the
// API to a server on localhost:3000 (`npx fanli start --demo`).
export default defineConfig({
  base: '/admin/',
  plugins: [react()],
  // The workspace root may hoist another React major (a dependency of another package);
  // antd and every other library must share the console's own React, or hooks break.
  resolve: { dedupe: ['react', 'react-dom', 'scheduler'] },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: {
    port: 5174,
    proxy: { '/api': 'http://localhost:3000', '/sandbox': 'http://localhost:3000' },
  },
});
