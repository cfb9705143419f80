#!/usr/bin/env node
// Runs the built server (npm run build:server). During development use `npm run server`.
// Every acknowledged message waits for an fsync, and fsyncs run on libuv's
// threadpool (4 threads by default): with many busy conversations the acks
// queued behind them (10,000 sockets at 1,000 msg/s held only with 16). It
// must be set before anything uses the pool, so here, before the import.
process.env.UV_THREADPOOL_SIZE ??= '16'
import('../out/server/cli.mjs').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND') {
    process.stderr.write('messenger-server: not built yet; run `npm run build:server` first\n')
    process.exit(1)
  }
  throw err
})
