import { X509Certificate } from 'node:crypto'
import type { PeerCertificate } from 'node:tls'

/** SHA-256 fingerprint of a PEM certificate, in the canonical spelling (see src/shared/fingerprint.ts). */
export function pemFingerprint(pem: string): string {
  return new X509Certificate(pem).fingerprint256
}

/** The PEM of a certificate a TLS peer presented. */
export function peerCertificatePem(cert: PeerCertificate): string {
  const base64 = cert.raw.toString('base64').match(/.{1,64}/g)!.join('\n')
  return `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`
}
