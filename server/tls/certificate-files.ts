// A certificate the operator gives (--tls-cert, --tls-key): a PEM chain whose
// first certificate is the server's own, and its unencrypted PEM private key.
// Checked at start, so a wrong file stops the server with a reason instead
// of failing every TLS handshake.
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type { ServerCertificate } from './certificate'

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g

export async function loadCertificateFiles(certFile: string, keyFile: string): Promise<ServerCertificate & { notAfter: Date }> {
  const [certText, keyText] = await Promise.all([read(certFile, 'certificate'), read(keyFile, 'private key')])
  const chain = certText.match(PEM_CERTIFICATE)
  if (!chain) throw new Error(`the TLS certificate file ${certFile} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`)
  let leaf: X509Certificate
  try {
    leaf = new X509Certificate(chain[0])
  } catch (err) {
    throw new Error(`the first certificate in ${certFile} does not parse: ${(err as Error).message}`, { cause: err })
  }
  let key: KeyObject
  try {
    key = createPrivateKey(keyText)
  } catch (err) {
    throw new Error(`the TLS key file ${keyFile} holds no usable PEM private key (an encrypted key needs its passphrase removed): ${(err as Error).message}`, {
      cause: err
    })
  }
  if (!leaf.checkPrivateKey(key)) throw new Error(`the private key in ${keyFile} does not belong to the certificate in ${certFile} (its first certificate)`)
  // The chain as given (leaf first), so clients that verify it the ordinary way get the intermediates too.
  return { cert: chain.join('\n') + '\n', key: keyText, fingerprint: leaf.fingerprint256, notAfter: new Date(leaf.validTo) }
}

async function read(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8')
  } catch (err) {
    throw new Error(`cannot read the TLS ${what} file ${file}: ${(err as Error).message}`, { cause: err })
  }
}
