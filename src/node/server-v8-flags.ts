// V8 flags the server process starts with. They must be on its command line
// (V8 sizes its heap once, at start; v8.setFlagsFromString comes too late):
// the messenger-server bin's shebang, `npm run server`, the web host's fork
// and the files benchmark pass them; a test keeps those in step with this list.
//
// Both keep V8 out of back-to-back full collections during a transfer. An
// upload allocates a new 64 KiB buffer per socket read (Node's HTTP parser
// copies every body piece), counted as external memory, while the JavaScript
// heap itself allocates little; V8 then sets the old generation's limit only
// 10-20% above its live size and starts incremental marking whenever that
// headroom is smaller than the young generation's capacity: a full
// collection every 30-50 ms for the whole transfer (measured: 50-240 per
// GiB, about twice the CPU; docs/benchmarks.md, Files).
// --heap-growing-percent=150: the limit is 2.5x the live size (inside V8's own
//   range of 1.1-4x), so the headroom stays above the young generation.
// --min-semi-space-size=16: an idle V8 shrinks the young generation to
//   1 MiB, the other way into the same storm (seen in 5 of 7 runs without
//   it, 0 of 4 with it). It keeps 2 x 16 MiB when idle.
export const SERVER_V8_FLAGS: readonly string[] = ['--min-semi-space-size=16', '--heap-growing-percent=150']
