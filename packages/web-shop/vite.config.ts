import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The shopper's H5 shop, served by the Fanli server at `/`. `npm run dev` proxies the
// API to a server on localhost:3000 (`npx fanli start --demo`).
export default defineConfig({
  base: '/',
  plugins: [react()],
  // antd-mobile is hoisted to the root node_modules, where another React may live: one
  // React for the whole bundle, the shop's own (React 19).
  resolve: { dedupe: ['react', 'react-dom', 'scheduler'] },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: {
    port: 5173,
    proxy: { '/api': 'http://localhost:3000', '/sandbox': 'http://localhost:3000' },
  },
});
