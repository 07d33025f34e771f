import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defineConfig, type Plugin } from 'vite'
import react from '@vitejs/plugin-react'

const backend = process.env.DEBRIEF_DEV_BACKEND ?? 'http://127.0.0.1:8080'

// Vite empties dist/ before each build; put back the placeholder that keeps
// Go's `//go:embed all:dist` pattern matching on a fresh checkout.
function keepGitkeep(): Plugin {
  return {
    name: 'debrief-keep-gitkeep',
    apply: 'build',
    closeBundle() {
      writeFileSync(fileURLToPath(new URL('./dist/.gitkeep', import.meta.url)), '')
    },
  }
}

export default defineConfig({
  plugins: [react(), keepGitkeep()],
  server: {
    proxy: {
      '/api': backend,
      '/healthz': backend,
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
})
