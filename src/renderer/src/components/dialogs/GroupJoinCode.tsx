// The group's join code (admins): show, make a new one, copy, turn off.
import { useEffect, useState } from 'react'
import type { JoinCode } from '../../../../shared/schemas/groups'
import { api, unwrap } from '../../lib/api'
import { clock, dayLabel } from '../../lib/format'
import { ConfirmButton } from './ConfirmButton'
import { ErrorLine } from './ErrorLine'
import { errorText, useAction } from './useAction'

/** ABCDE12345 → ABCDE-12345: easier to read aloud. */
const spaced = (code: string): string => (code.length === 10 ? `${code.slice(0, 5)}-${code.slice(5)}` : code)

export function GroupJoinCode({ conversationId }: { conversationId: string }): React.JSX.Element {
  const [code, setCode] = useState<JoinCode | null | undefined>(undefined)
  const [copied, setCopied] = useState(false)
  const { busy, error, run, setError } = useAction()

  useEffect(() => {
    let live = true
    unwrap(api().conversations.getJoinCode({ conversationId })).then(
      (c) => {
        if (live) setCode(c)
      },
      (err: unknown) => {
        if (live) setError(errorText(err))
      }
    )
    return () => {
      live = false
    }
  }, [conversationId, setError])

  const create = (): void => {
    setCopied(false)
    void run('create', async () => setCode(await unwrap(api().conversations.createJoinCode({ conversationId }))))
  }
  const revoke = (): void => {
    void run('revoke', async () => {
      await unwrap(api().conversations.revokeJoinCode({ conversationId }))
      setCode(null)
    })
  }
  const copy = (text: string): void => {
    void run('copy', async () => {
      try {
        await navigator.clipboard.writeText(text)
      } catch (err) {
        throw new Error('Could not copy. Select the code and copy it by hand.', { cause: err })
      }
      setCopied(true)
    })
  }

  return (
    <section aria-labelledby="join-code-title">
      <h3 id="join-code-title" className="dialog-section">Join code</h3>
      <ErrorLine error={error} />
      {code === undefined ? <p className="muted">Loading…</p> : null}
      {code === null ? <p className="muted">No join code. Make one to let people join without being added.</p> : null}
      {code ? (
        <>
          <div className="row">
            <code className="join-code-value">{spaced(code.code)}</code>
            <button type="button" className="btn" disabled={busy !== null} onClick={() => copy(spaced(code.code))}>
              Copy
            </button>
            {copied ? <span role="status" className="muted">Copied.</span> : null}
          </div>
          <p className="muted">
            Used {code.uses} {code.uses === 1 ? 'time' : 'times'}
            {code.maxUses !== null ? ` of ${code.maxUses}` : ''}
            {code.expiresAt ? `; works until ${dayLabel(code.expiresAt).toLowerCase() === 'today' ? 'today' : dayLabel(code.expiresAt)} at ${clock(code.expiresAt)}` : ''}.
          </p>
        </>
      ) : null}
      {code !== undefined ? (
        <div className="row">
          {code ? (
            <ConfirmButton label="New code" question="Make a new code? The current one stops working." danger={false} busy={busy !== null} onConfirm={create} />
          ) : (
            <button type="button" className="btn" disabled={busy !== null} onClick={create}>
              {busy === 'create' ? 'Making…' : 'Make a join code'}
            </button>
          )}
          {code ? <ConfirmButton label="Turn off" question="Turn off the join code?" busy={busy !== null} onConfirm={revoke} /> : null}
        </div>
      ) : null}
    </section>
  )
}
