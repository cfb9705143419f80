// Content-Disposition for a download (RFC 6266 with RFC 5987's filename*):
// an ASCII fallback any client can show, and the exact UTF-8 name.

/** `attachment` or `inline`, with the name made safe for a header whatever it holds. */
export function contentDisposition(kind: 'attachment' | 'inline', name: string): string {
  const fallback =
    name
      .normalize('NFKD')
      .replace(/[^\x20-\x7e]/g, '')
      .replace(/["\\/%;]/g, '_')
      .trim() || 'download'
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`
}
