import type { Logger } from '../logger'
import type { SecretRepo } from '../store/types'
import { loadOrCreateCertificate, loadSharedCertificate, type ServerCertificate } from './certificate'
import { loadCertificateFiles } from './certificate-files'

export interface CertificateOptions {
  dataDir: string
  tls?: boolean
  tlsCertFile?: string
  tlsKeyFile?: string
}

/**
 * What the server serves: the operator's certificate files when given (TLS
 * on, whatever `tls` says); else, with `tls`, the self-signed certificate,
 * kept in the store for every node where it shares one, else in the data
 * directory; else nothing (plain HTTP).
 */
export async function serverCertificate(options: CertificateOptions, secrets: SecretRepo | null, log: Logger): Promise<ServerCertificate | null> {
  if ((options.tlsCertFile === undefined) !== (options.tlsKeyFile === undefined)) throw new Error('a TLS certificate file and its key file go together')
  if (options.tlsCertFile && options.tlsKeyFile) {
    const { notAfter, ...certificate } = await loadCertificateFiles(options.tlsCertFile, options.tlsKeyFile)
    if (notAfter.getTime() <= Date.now()) log.warn({ certFile: options.tlsCertFile, notAfter }, 'the TLS certificate has expired')
    return certificate
  }
  if (!options.tls) return null
  if (secrets) return loadSharedCertificate(options.dataDir, secrets, log)
  const certificate = await loadOrCreateCertificate(options.dataDir)
  if (certificate.created) log.info({ fingerprint: certificate.fingerprint }, 'made a new TLS certificate')
  return certificate
}
