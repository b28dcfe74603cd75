/**
 * Builds the web app into web/dist, which `sprout serve` serves at `/`. During development,
 * `npx vite web` serves it with hot reload and forwards the API to a running `npm start`.
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // ECharts is most of the bundle; keep it in its own long-cached file.
    rollupOptions: { output: { manualChunks: (id: string) => (id.includes('node_modules/echarts') || id.includes('node_modules/zrender') ? 'echarts' : undefined) } },
    chunkSizeWarningLimit: 900,
  },
  server: {
    proxy: { '/v1': 'http://127.0.0.1:3000', '/health': 'http://127.0.0.1:3000' },
  },
});
