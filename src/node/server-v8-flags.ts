// V8 flags the server process starts with. They must be on its command line
// (V8 sizes its heap once, at start; v8.setFlagsFromString comes too late):
// the messenger-server bin's shebang, `npm run server`, the web host's fork
// and the files benchmark pass them; a test keeps those in step with this list.
//
// --heap-growing-percent=150 keeps V8 out of back-to-back full collections
// during a transfer. An upload allocates a new 64 KiB buffer per socket read
// (Node's HTTP parser copies every body piece), counted as external memory,
// while the JavaScript heap itself allocates little; V8 then sets the old
// generation's limit only 10-20% above its live size and starts incremental
// marking whenever that headroom is smaller than the young generation's
// capacity: a full collection every 30-50 ms for the whole transfer
// (measured: 50-240 per GiB, about twice the CPU; docs/benchmarks.md, Files).
// With a fixed 2.5x (inside V8's own range of 1.1-4x) the headroom stays
// above the young generation: 3-5 full collections per run instead, also
// after the server sat idle and V8 had shrunk its young generation.
export const SERVER_V8_FLAGS: readonly string[] = ['--heap-growing-percent=150']
