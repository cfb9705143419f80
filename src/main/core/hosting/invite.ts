// The QR code of an invite link (src/shared/invite.ts), so a colleague joins
// by scanning; the fingerprint in the link lets their app trust the
// certificate without asking.
import QRCode from 'qrcode'

/** An SVG data URL (the renderer's CSP allows data: images). */
export async function qrDataUrl(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' })
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`
}
