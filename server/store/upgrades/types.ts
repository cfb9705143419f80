// What an upgrade step of the data directory is given and declares (the
// steps in index.ts, run by ../data-dir-format.ts).
import type { UpgradeStep } from '../../../src/node/format-version'
import type { Logger } from '../../logger'
import type { JournaledJsonFile } from '../journaled-json-file'
import type { DbData } from '../records'

export interface UpgradeContext {
  dataDir: string
  log: Logger
  /** db.json with its journal applied; `write` saves a whole snapshot (and empties the journal). */
  db: Pick<JournaledJsonFile<DbData>, 'read' | 'write'>
}

export interface DataDirUpgrade extends UpgradeStep<UpgradeContext> {
  /** Paths under the data directory the step rewrites: copied into the backup first. */
  changes: readonly string[]
}

export interface DataDirFormatPlan {
  current: number
  steps: readonly DataDirUpgrade[]
}
