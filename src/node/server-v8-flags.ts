// V8 flags the server process starts with. They must be on its command line
// (V8 sizes its heap once, at start; v8.setFlagsFromString comes too late):
// the messenger-server bin's shebang, `npm run server`, the web host's fork
// and the files benchmark pass them; a test keeps those in step with this list.
//
// --min-semi-space-size=16: idle, V8 shrinks the young generation to 1 MiB.
// An upload then allocates a new 64 KiB buffer per socket read (Node's HTTP
// parser copies every body piece), each backed by external memory, and with a
// 1 MiB young generation V8 answers that with back-to-back full collections,
// which stay for the whole transfer: measured, 50–130 per GiB and about twice
// the CPU. With 16 MiB it does not (0 of 4 runs, against 5 of 7 without;
// docs/benchmarks.md, Files). The cost is that the young generation keeps its
// 2 × 16 MiB when idle.
export const SERVER_V8_FLAGS: readonly string[] = ['--min-semi-space-size=16']
