import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'

export default defineConfig({
  main: {
    build: {
      // ESM-only packages are bundled into the CommonJS main bundle; the rest load from node_modules.
      externalizeDeps: { exclude: ['lowdb', 'steno', 'mdast-util-from-markdown', 'mdast-util-gfm', 'micromark-extension-gfm'] },
      rollupOptions: { input: { index: resolve(__dirname, 'src/main/index.ts') } }
    }
  },
  preload: {
    build: {
      // A sandboxed preload can require only 'electron': bundle everything else.
      externalizeDeps: false,
      rollupOptions: { input: { index: resolve(__dirname, 'src/preload/index.ts') } }
    }
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: {
      // electron-vite leaves the window's bundle unminified; minified it is a third of the size to load and parse.
      minify: true,
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } }
    },
    plugins: [react()]
  }
})
