// Trust on first use for https servers. The first time, the user is shown
// the certificate's fingerprint (or it comes from an invite link) and trusts
// it; from then on every request and socket to that server verifies against
// exactly that certificate, and a different one is refused as
// `certificate_changed` until the user trusts the new one on purpose.
import type { ServerCertificateInfo } from '../../../shared/ipc'
import { normalizeFingerprint, sameFingerprint } from '../../../shared/fingerprint'
import { ClientError } from '../errors'
import { readPeerCertificate } from './peer-certificate'
import { pinnedAgent, pinnedTls, type PinnedTlsOptions } from './pinned'
import { pinnedDispatcher, pinnedFetch } from './pinned-fetch'
import type { TrustStore } from './trust-store'
import type { Agent } from 'node:https'
import type { Agent as Dispatcher } from 'undici'

/** What a connection to one server needs: a fetch for REST and, over TLS, the socket's options. */
export interface ServerTransport {
  fetch: typeof fetch
  socketTls: (PinnedTlsOptions & { agent: Agent }) | null
}

export class ServerTrust {
  /** One pool per pinned certificate, so keep-alive connections are shared by the account's requests. */
  private readonly dispatchers = new Map<string, Dispatcher>()
  /** The socket's (ws, under socket.io-client, takes a node:https Agent, not undici's). */
  private readonly agents = new Map<string, Agent>()

  constructor(
    private readonly store: TrustStore,
    private readonly plainFetch: typeof fetch = fetch
  ) {}

  /** The transport of a server; an https server not trusted yet gets one that refuses every request. */
  transport(serverUrl: string): ServerTransport {
    if (new URL(serverUrl).protocol !== 'https:') return { fetch: this.plainFetch, socketTls: null }
    const pinned = this.store.get(serverUrl)
    if (!pinned) {
      const refuse = (): Promise<Response> => Promise.reject(untrusted(serverUrl))
      return { fetch: refuse, socketTls: null }
    }
    const { certificate, fingerprint } = pinned
    const agent = this.agentFor(certificate, fingerprint)
    return { fetch: pinnedFetch(this.dispatcherFor(certificate, fingerprint)), socketTls: { ...pinnedTls(certificate, fingerprint), agent } }
  }

  /**
   * The certificate the server presents now against the pinned one, and a
   * fetch pinned to what it presents (for an unauthenticated look, such as
   * /health, before the user decides).
   */
  async inspect(serverUrl: string): Promise<{ info: ServerCertificateInfo; fetch: typeof fetch }> {
    const presented = await readPeerCertificate(serverUrl)
    const pinned = this.store.get(serverUrl)?.fingerprint ?? null
    const state = pinned === null ? 'new' : sameFingerprint(pinned, presented.fingerprint) ? 'trusted' : 'changed'
    const dispatcher = pinnedDispatcher(presented.certificate, presented.fingerprint)
    // close() lets the answer's body be read first, then ends the connection.
    const fetchOnce: typeof fetch = (input, init) => pinnedFetch(dispatcher)(input, init).finally(() => dispatcher.close().catch(() => undefined))
    return { info: { fingerprint: presented.fingerprint, pinned, state }, fetch: fetchOnce }
  }

  /**
   * Pins the certificate the server presents, if it is the one the user
   * confirmed (compared by eye, or from an invite link). Replaces an older
   * pin: the user was warned it changed and chose the new one.
   */
  async trust(serverUrl: string, fingerprint: string): Promise<ServerCertificateInfo> {
    const wanted = normalizeFingerprint(fingerprint)
    if (!wanted) throw new ClientError('validation_failed', 'fingerprint: expected 32 hex bytes (SHA-256)')
    const presented = await readPeerCertificate(serverUrl)
    if (!sameFingerprint(presented.fingerprint, wanted)) {
      throw new ClientError(
        'certificate_changed',
        `the server at ${serverUrl} presents the certificate ${presented.fingerprint}, not ${wanted}; do not trust it until its owner confirms which is right`
      )
    }
    await this.store.pin(serverUrl, presented.certificate, presented.fingerprint)
    return { fingerprint: presented.fingerprint, pinned: presented.fingerprint, state: 'trusted' }
  }

  /** Pins a certificate known first hand (the server this app hosts itself). */
  async pinKnown(serverUrl: string, certificate: string, fingerprint: string): Promise<void> {
    await this.store.pin(serverUrl, certificate, fingerprint)
  }

  pinnedFingerprint(serverUrl: string): string | null {
    return this.store.get(serverUrl)?.fingerprint ?? null
  }

  close(): void {
    for (const dispatcher of this.dispatchers.values()) dispatcher.destroy().catch(() => undefined)
    this.dispatchers.clear()
    for (const agent of this.agents.values()) agent.destroy()
    this.agents.clear()
  }

  private dispatcherFor(certificate: string, fingerprint: string): Dispatcher {
    let dispatcher = this.dispatchers.get(fingerprint)
    if (!dispatcher) this.dispatchers.set(fingerprint, (dispatcher = pinnedDispatcher(certificate, fingerprint)))
    return dispatcher
  }

  private agentFor(certificate: string, fingerprint: string): Agent {
    let agent = this.agents.get(fingerprint)
    if (!agent) this.agents.set(fingerprint, (agent = pinnedAgent(certificate, fingerprint)))
    return agent
  }
}

export function untrusted(serverUrl: string): ClientError {
  return new ClientError('certificate_untrusted', `the certificate of ${serverUrl} is not trusted yet: compare its fingerprint and trust it first`)
}

export function certificateChanged(serverUrl: string): ClientError {
  return new ClientError(
    'certificate_changed',
    `the server at ${serverUrl} presented a different certificate from the one you trusted: it may be another computer pretending to be it, or its certificate was replaced; ask its owner before trusting the new one`
  )
}
