// The group's join code (admins): show, make a new one, copy, turn off; and
// its invite links (the app's messenger:// link, the server's web page).
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { JoinCode } from '../../../../shared/schemas/groups'
import { i18n } from '../../i18n'
import { dayAndTime } from '../../lib/format'
import { createJoinCode, getJoinCode, inviteLinks, revokeJoinCode } from '../../lib/join-codes'
import { ConfirmButton } from './ConfirmButton'
import { ErrorLine } from './ErrorLine'
import { errorText, useAction } from './useAction'

/** ABCDE12345 → ABCDE-12345: easier to read aloud. */
const spaced = (code: string): string => (code.length === 10 ? `${code.slice(0, 5)}-${code.slice(5)}` : code)

export function GroupJoinCode({ conversationId }: { conversationId: string }): React.JSX.Element {
  const { t } = useTranslation()
  const [code, setCode] = useState<JoinCode | null | undefined>(undefined)
  const [copied, setCopied] = useState(false)
  const [found, setLinks] = useState<{ code: string; link: string; web: string } | null>(null)
  const { busy, error, run, setError } = useAction()

  useEffect(() => {
    let live = true
    getJoinCode(conversationId).then(
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

  // The links follow the code: a new code makes new links (the old ones stop working with it).
  const current = code ? code.code : null
  useEffect(() => {
    let live = true
    if (current)
      inviteLinks(current).then(
        (l) => {
          if (live) setLinks({ code: current, ...l })
        },
        (err: unknown) => {
          if (live) setError(errorText(err))
        }
      )
    return () => {
      live = false
    }
  }, [current, setError])
  const links = found && found.code === current ? found : null

  const create = (): void => {
    setCopied(false)
    void run('create', async () => setCode(await createJoinCode(conversationId)))
  }
  const revoke = (): void => {
    void run('revoke', async () => {
      await revokeJoinCode(conversationId)
      setCode(null)
    })
  }
  const copy = (text: string): void => {
    void run('copy', async () => {
      try {
        await navigator.clipboard.writeText(text)
      } catch (err) {
        throw new Error(i18n.t('dialogs.joinCode.copyFailed'), { cause: err })
      }
      setCopied(true)
    })
  }

  return (
    <section aria-labelledby="join-code-title">
      <h3 id="join-code-title" className="dialog-section">{t('dialogs.joinCode.title')}</h3>
      <ErrorLine error={error} />
      {code === undefined ? <p className="muted">{t('common.loading')}</p> : null}
      {code === null ? <p className="muted">{t('dialogs.joinCode.none')}</p> : null}
      {code ? (
        <>
          <div className="row">
            <code className="join-code-value">{spaced(code.code)}</code>
            <button type="button" className="btn" disabled={busy !== null} onClick={() => copy(spaced(code.code))}>
              {t('common.copy')}
            </button>
            {copied ? <span role="status" className="muted">{t('common.copied')}</span> : null}
          </div>
          {links ? (
            <div className="row">
              <input className="input" readOnly value={links.link} aria-label={t('dialogs.joinCode.link')} onFocus={(e) => e.currentTarget.select()} />
              <button type="button" className="btn" disabled={busy !== null} onClick={() => copy(links.link)}>
                {t('dialogs.joinCode.copyLink')}
              </button>
              <button type="button" className="btn" disabled={busy !== null} onClick={() => copy(links.web)}>
                {t('dialogs.joinCode.copyWeb')}
              </button>
            </div>
          ) : null}
          <p className="muted">{t('dialogs.joinCode.linkHint')}</p>
          <p className="muted">
            {code.maxUses !== null ? t('dialogs.joinCode.usedOf', { count: code.uses, max: code.maxUses }) : t('dialogs.joinCode.used', { count: code.uses })}
            {code.expiresAt ? t('dialogs.joinCode.until', { when: dayAndTime(code.expiresAt) }) : ''}
            {t('dialogs.joinCode.end')}
          </p>
        </>
      ) : null}
      {code !== undefined ? (
        <div className="row">
          {code ? (
            <ConfirmButton label={t('dialogs.joinCode.new')} question={t('dialogs.joinCode.newQuestion')} danger={false} busy={busy !== null} onConfirm={create} />
          ) : (
            <button type="button" className="btn" disabled={busy !== null} onClick={create}>
              {busy === 'create' ? t('dialogs.joinCode.making') : t('dialogs.joinCode.make')}
            </button>
          )}
          {code ? <ConfirmButton label={t('dialogs.joinCode.off')} question={t('dialogs.joinCode.offQuestion')} busy={busy !== null} onConfirm={revoke} /> : null}
        </div>
      ) : null}
    </section>
  )
}
