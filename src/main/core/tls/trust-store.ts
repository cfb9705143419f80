// Servers whose certificate this app trusts, pinned on first use: for each
// https origin, the exact certificate (PEM) and its SHA-256 fingerprint. A
// server that later presents another certificate is refused until the user
// trusts the new one on purpose.
import { join } from 'node:path'
import { Low } from 'lowdb'
import { DurableJsonFile } from '../../../node/json-file'

export interface PinnedServer {
  /** https://host:port, as normalizeServerUrl spells it (no path). */
  origin: string
  fingerprint: string
  certificate: string
  pinnedAt: string
}

interface TrustData {
  servers: PinnedServer[]
}

export function originOf(serverUrl: string): string {
  const url = new URL(serverUrl)
  return `${url.protocol}//${url.host}`
}

export class TrustStore {
  private constructor(private readonly db: Low<TrustData>) {}

  static async open(userDataDir: string): Promise<TrustStore> {
    const db = new Low<TrustData>(new DurableJsonFile(join(userDataDir, 'trusted-servers.json')), { servers: [] })
    await db.read()
    return new TrustStore(db)
  }

  get(serverUrl: string): PinnedServer | undefined {
    const origin = originOf(serverUrl)
    return this.db.data.servers.find((s) => s.origin === origin)
  }

  async pin(serverUrl: string, certificate: string, fingerprint: string): Promise<PinnedServer> {
    const pinned: PinnedServer = { origin: originOf(serverUrl), fingerprint, certificate, pinnedAt: new Date().toISOString() }
    this.db.data.servers = [pinned, ...this.db.data.servers.filter((s) => s.origin !== pinned.origin)]
    await this.db.write()
    return pinned
  }
}
