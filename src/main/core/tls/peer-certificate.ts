// Reads the certificate a TLS server presents, to show its fingerprint before
// the user trusts it (trust on first use). The handshake is the only thing
// this connection does: it is closed before any request is sent, so nothing
// ever travels over an unverified connection. Every real request and socket
// goes through pinnedTls(), which verifies against the pinned certificate.
import { connect } from 'node:tls'
import { peerCertificatePem, pemFingerprint } from '../../../node/certificate'
import { ClientError } from '../errors'

const TIMEOUT_MS = 10_000

export interface PresentedCertificate {
  certificate: string
  fingerprint: string
}

export function readPeerCertificate(serverUrl: string): Promise<PresentedCertificate> {
  const url = new URL(serverUrl)
  const host = url.hostname.replace(/^\[|\]$/g, '')
  const port = Number(url.port || 443)
  return new Promise((resolve, reject) => {
    const socket = connect({
      host,
      port,
      ...(isIp(host) ? {} : { servername: host }),
      // Only to read the certificate for the user to compare; see the file comment.
      rejectUnauthorized: false,
      timeout: TIMEOUT_MS
    })
    const fail = (err: Error): void => {
      socket.destroy()
      const detail = (err as NodeJS.ErrnoException).code ?? err.message
      reject(new ClientError('unreachable', `cannot reach the server at ${serverUrl} over TLS (${detail})`))
    }
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate(false)
      socket.destroy()
      if (!cert.raw) return reject(new ClientError('unreachable', `the server at ${serverUrl} presented no certificate`))
      const certificate = peerCertificatePem(cert)
      resolve({ certificate, fingerprint: pemFingerprint(certificate) })
    })
    socket.once('timeout', () => fail(new Error('timed out')))
    socket.once('error', fail)
  })
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':')
}
