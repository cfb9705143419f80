// Text with the words of a query marked, as React text (never HTML).
import { Fragment } from 'react'

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

export function Highlight({ text, query }: { text: string; query: string }): React.JSX.Element {
  const words = query
    .split(/\s+/)
    .map((w) => w.replace(/^["'*]+|["'*]+$/g, ''))
    .filter((w) => w.length > 0)
  if (!words.length) return <>{text}</>
  const pattern = new RegExp(`(${words.map(escape).join('|')})`, 'giu')
  const parts = text.split(pattern)
  return (
    <>
      {parts.map((part, i) => (i % 2 === 1 ? <mark key={i}>{part}</mark> : <Fragment key={i}>{part}</Fragment>))}
    </>
  )
}
