import { join } from 'node:path'
import { Low } from 'lowdb'
import { DurableJsonFile } from '../../../node/json-file'
import { HostingListen } from '../../../shared/schemas/hosting'

export interface HostingSettings {
  autoStart: boolean
  port: number
  /** null: the computer's host name. */
  name: string | null
  /** Where it listens; every interface (the LAN) unless the person chose otherwise. */
  listen: HostingListen
  /** Advertised on the LAN over mDNS (never while it listens on this computer only). */
  advertise: boolean
}

export const DEFAULT_HOSTING_PORT = 7450

const defaults = (): HostingSettings => ({ autoStart: false, port: DEFAULT_HOSTING_PORT, name: null, listen: { mode: 'all' }, advertise: true })

export async function openHostingSettings(userDataDir: string): Promise<Low<HostingSettings>> {
  const db = new Low<HostingSettings>(new DurableJsonFile(join(userDataDir, 'hosting.json')), defaults())
  await db.read()
  // Files from before these choices existed (or edited by hand) get the defaults for what is missing or wrong.
  const listen = HostingListen.safeParse(db.data.listen)
  db.data = { ...defaults(), ...db.data, listen: listen.success ? listen.data : { mode: 'all' } }
  if (typeof db.data.advertise !== 'boolean') db.data.advertise = true
  return db
}
