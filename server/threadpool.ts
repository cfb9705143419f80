// Imported first by the CLI, so it runs before anything uses libuv's thread
// pool (which reads this once, at first use). Every acknowledged message
// waits for an fsync, and fsyncs run on the pool (4 threads by default): with
// many busy conversations the acks queued behind them (10,000 sockets at
// 1,000 msg/s held only with 16). The CLI is also what `npm run server`, the
// built `messenger-server` and the desktop app's hosted server all run.
process.env.UV_THREADPOOL_SIZE ??= '16'
