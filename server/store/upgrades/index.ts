// The data directory's upgrade steps, in order: step N turns format N into
// N + 1 (see ../data-dir-format.ts). A new format is DATA_DIR_FORMAT + 1, a
// small step in its own file here naming what it rewrites, a line below and a
// test that opens a directory of the old format. An applied step is never edited.
import { workChat } from './002-work-chat'
import { attention } from './003-attention'
import type { DataDirUpgrade } from './types'

/** Format 1 was the first. */
export const DATA_DIR_UPGRADES: readonly DataDirUpgrade[] = [workChat, attention]
