import { join } from 'node:path'
import { Low } from 'lowdb'
import { DurableJsonFile } from '../../../node/json-file'

export interface HostingSettings {
  autoStart: boolean
  port: number
  /** null: the computer's host name. */
  name: string | null
}

export const DEFAULT_HOSTING_PORT = 7450

export async function openHostingSettings(userDataDir: string): Promise<Low<HostingSettings>> {
  const db = new Low<HostingSettings>(new DurableJsonFile(join(userDataDir, 'hosting.json')), { autoStart: false, port: DEFAULT_HOSTING_PORT, name: null })
  await db.read()
  return db
}
