// One V8 setting for a server that streams files. V8 frees dead
// ArrayBuffers on a helper thread, and counts their memory as live until that
// thread is done. An upload allocates one per socket read (about 16,000 per
// GiB); on a busy machine the helper falls behind, the count stays over V8's
// external-memory limit, and V8 answers with back-to-back full collections:
// about 400 during a 1 GiB upload in bench:files, with the upload's CPU
// doubled. Sweeping them inside each collection keeps the count true; the
// cost is a little pause time per collection.
import { setFlagsFromString } from 'node:v8'

let applied = false

/** Process-wide and idempotent: the embedded server and the CLI both call it. */
export function tuneV8ForStreaming(): void {
  if (applied) return
  applied = true
  setFlagsFromString('--no-concurrent-array-buffer-sweeping')
}
