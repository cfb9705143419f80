#!/usr/bin/env node
// Runs the built server (npm run build:server). During development use `npm run server`.
// The CLI sizes libuv's thread pool itself (server/threadpool.ts).
import('../out/server/cli.mjs').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND') {
    process.stderr.write('messenger-server: not built yet; run `npm run build:server` first\n')
    process.exit(1)
  }
  throw err
})
