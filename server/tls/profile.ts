// Mozilla's "intermediate" server profile (ssl-config.mozilla.org, v5.7):
// TLS 1.2 and 1.3; in TLS 1.2 only forward-secret AEAD suites (no CBC, which
// the default list's HIGH brought in). The DHE-RSA suites of the profile are
// left out: they need DH parameters we do not configure. RSA suites stay for
// operators who bring an RSA certificate (--tls-cert); ours is ECDSA P-256.
import { DEFAULT_CIPHERS } from 'node:tls'
import type { SecureContextOptions, TlsOptions } from 'node:tls'

const TLS12_SUITES = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305'
]

/** TLS 1.3's suites as Node has them (all AEAD); named so a `ciphers` list without them cannot switch TLS 1.3 off. */
const TLS13_SUITES = DEFAULT_CIPHERS.split(':').filter((suite) => suite.startsWith('TLS_'))

export const TLS_PROFILE: TlsOptions & SecureContextOptions = {
  minVersion: 'TLSv1.2',
  ciphers: [...TLS13_SUITES, ...TLS12_SUITES].join(':'),
  ecdhCurve: 'X25519:P-256:P-384',
  // Intermediate leaves the order to the client (all suites are strong; a phone without AES hardware picks ChaCha20).
  honorCipherOrder: false
}

/**
 * Strict-Transport-Security for HTTPS answers. One year, the host only: no
 * includeSubDomains (other machines of the office's domain may serve plain
 * HTTP), no preload. Browsers heed it only over a certificate they trust,
 * i.e. an operator's certificate, never our self-signed one.
 */
export const HSTS = 'max-age=31536000'
