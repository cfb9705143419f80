// A finished export, fetched from the Node host (the browser has no save dialog).
import { hostSecret } from './stage'

export function exportUrl(exportId: string): string {
  return `/files/export/${exportId}?secret=${encodeURIComponent(hostSecret() ?? '')}`
}
