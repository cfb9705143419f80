// The clipboard, for copying text the user chose to copy (a code block, a link).
export function copyText(text: string): Promise<void> {
  return navigator.clipboard.writeText(text)
}
