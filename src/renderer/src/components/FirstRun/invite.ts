/** Reads an invite link (messenger://join?server=…&code=…) or a plain address. */
export function parseServerInput(input: string): { server: string; code: string | null } {
  const text = input.trim()
  if (/^messenger:/i.test(text)) {
    try {
      const url = new URL(text)
      return { server: url.searchParams.get('server') ?? '', code: url.searchParams.get('code') }
    } catch {
      return { server: '', code: null }
    }
  }
  return { server: text, code: null }
}
