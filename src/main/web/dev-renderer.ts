// Vite in middleware mode for `npm run dev:web`: the renderer with hot reload.
// Development only: otherwise the built renderer is served as static files.
import type { Server } from 'node:http'
import { resolve } from 'node:path'
import type { RequestHandler } from 'express'
import type { Renderer } from './host'

export async function devRenderer(root: string, server: Server): Promise<Renderer> {
  const { createServer } = await import('vite')
  const { default: react } = await import('@vitejs/plugin-react')
  const vite = await createServer({
    configFile: false,
    root: resolve(root, 'src/renderer'),
    appType: 'spa',
    plugins: [
      react(),
      {
        // React's hot-reload preamble is an inline script: allow inline scripts while developing only.
        name: 'dev-csp',
        apply: 'serve',
        transformIndexHtml: (html) => html.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
      }
    ],
    server: { middlewareMode: true, hmr: { server } }
  })
  return { handler: vite.middlewares as unknown as RequestHandler, close: () => vite.close() }
}
