// A fenced code block with a button that copies its text.
import { useRef, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { copyText } from '../../../lib/clipboard'

export function CodeBlock({ children }: { children?: ReactNode }): React.JSX.Element {
  const { t } = useTranslation()
  const pre = useRef<HTMLPreElement>(null)
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  const copy = (): void => {
    // The block's text as written (the parser ends it with a line break of its own).
    copyText((pre.current?.querySelector('code')?.textContent ?? '').replace(/\n$/, '')).then(
      () => setState('copied'),
      () => setState('failed')
    )
  }
  return (
    <div className="code-block">
      <pre ref={pre}>{children}</pre>
      <button type="button" className="code-copy" onClick={copy} onBlur={() => setState('idle')}>
        {t(state === 'copied' ? 'common.copied' : state === 'failed' ? 'chat.format.copyFailed' : 'chat.format.copyCode')}
      </button>
    </div>
  )
}
