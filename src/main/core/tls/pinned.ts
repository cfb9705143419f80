// TLS options that trust exactly one certificate: the pinned one is the only
// CA (it is self-signed and not a CA, so it vouches for nothing else), and the
// identity check compares its fingerprint instead of the host name, because
// the same office server is reached by LAN address, host name or localhost.
import { Agent } from 'node:https'
import type { PeerCertificate } from 'node:tls'
import { sameFingerprint } from '../../../shared/fingerprint'

/** Set on the error a pinned connection fails with when the certificate is not the pinned one. */
export const PIN_MISMATCH = 'ERR_MESSENGER_CERT_PIN'

export interface PinnedTlsOptions {
  ca: string
  rejectUnauthorized: true
  checkServerIdentity: (host: string, cert: PeerCertificate) => Error | undefined
}

export function pinnedTls(certificate: string, fingerprint: string): PinnedTlsOptions {
  return {
    ca: certificate,
    rejectUnauthorized: true,
    checkServerIdentity: (_host, cert) => {
      if (sameFingerprint(cert.fingerprint256, fingerprint)) return undefined
      return Object.assign(new Error(`certificate ${cert.fingerprint256} is not the pinned ${fingerprint}`), { code: PIN_MISMATCH })
    }
  }
}

/** For the socket: ws (under socket.io-client) connects through node:https, so it takes this Agent; REST goes through undici (pinned-fetch.ts). */
export function pinnedAgent(certificate: string, fingerprint: string): Agent {
  return new Agent({ ...pinnedTls(certificate, fingerprint), keepAlive: true })
}

/** OpenSSL's and Node's codes for "this is not the certificate you trust". */
const CERT_ERRORS = new Set([
  PIN_MISMATCH,
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID'
])

/** Does this error (or its cause) say the server presented a certificate we do not trust? */
export function isCertificateError(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | null | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && CERT_ERRORS.has(e.code)) return true
  }
  return false
}
