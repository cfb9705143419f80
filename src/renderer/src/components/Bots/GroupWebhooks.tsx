// The webhooks of a group or room (its admins, issue 21): make one with a
// name (its URL shown once, with Copy), list them, revoke one.
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { CreatedWebhook, Webhook } from '../../../../shared/schemas/webhooks'
import { dayAndTime } from '../../lib/format'
import { copyText, createWebhook, listWebhooks, revokeWebhook } from '../../lib/webhooks'
import { ErrorLine } from '../dialogs/ErrorLine'
import { errorText, useAction } from '../dialogs/useAction'
import './Bots.css'

export function GroupWebhooks({ conversationId }: { conversationId: string }): React.JSX.Element {
  const { t } = useTranslation()
  const [hooks, setHooks] = useState<Webhook[] | null>(null)
  const [name, setName] = useState('')
  const [made, setMade] = useState<CreatedWebhook | null>(null)
  const [copied, setCopied] = useState(false)
  const { busy, error, run, setError } = useAction()

  useEffect(() => {
    let live = true
    listWebhooks(conversationId).then(
      (list) => live && setHooks(list),
      (err: unknown) => live && setError(errorText(err))
    )
    return () => {
      live = false
    }
  }, [conversationId, setError])

  const create = (e: React.FormEvent): void => {
    e.preventDefault()
    void run('create', async () => {
      const hook = await createWebhook(conversationId, name)
      setMade(hook)
      setCopied(false)
      setName('')
      setHooks((list) => [...(list ?? []), hook])
    })
  }
  const copy = (url: string): void => {
    void run('copy', async () => {
      await copyText(url, t('hooks.webhooks.copyFailed'))
      setCopied(true)
    })
  }
  const revoke = (hook: Webhook): void => {
    void run(`revoke-${hook.id}`, async () => {
      if (!(await revokeWebhook(hook))) return
      setHooks((list) => (list ?? []).filter((h) => h.id !== hook.id))
      if (made?.id === hook.id) setMade(null)
    })
  }

  return (
    <section aria-labelledby="webhooks-title">
      <h3 id="webhooks-title" className="dialog-section">
        {t('hooks.webhooks.title')}
      </h3>
      <p className="muted">{t('hooks.webhooks.intro')}</p>
      <ErrorLine error={error} />
      <form className="row" onSubmit={create}>
        <input className="input" value={name} maxLength={64} aria-label={t('hooks.webhooks.newLabel')} placeholder={t('hooks.webhooks.name')} onChange={(e) => setName(e.target.value)} />
        <button type="submit" className="btn" disabled={busy !== null || name.trim() === ''}>
          {t('hooks.webhooks.create')}
        </button>
      </form>
      {made ? (
        <div className="stack">
          <p role="status">{t('hooks.webhooks.urlOnce')}</p>
          <div className="row">
            <input className="input webhook-url" readOnly value={made.url} aria-label={t('hooks.webhooks.url')} onFocus={(e) => e.currentTarget.select()} />
            <button type="button" className="btn" disabled={busy !== null} onClick={() => copy(made.url)}>
              {t('hooks.webhooks.copy')}
            </button>
            {copied ? <span className="muted">{t('hooks.webhooks.copied')}</span> : null}
          </div>
        </div>
      ) : null}
      {hooks?.length === 0 ? <p className="muted">{t('hooks.webhooks.none')}</p> : null}
      <ul className="list-plain dialog-list" aria-label={t('hooks.webhooks.title')}>
        {(hooks ?? []).map((hook) => (
          <li key={hook.id} className="dialog-row">
            <div className="dialog-item-text">
              <span className="dialog-item-title">{hook.name}</span>
              <span className="muted">{t('hooks.webhooks.created', { time: dayAndTime(hook.createdAt) })}</span>
            </div>
            <button type="button" className="btn btn-danger" disabled={busy !== null} aria-label={t('hooks.webhooks.revokeName', { name: hook.name })} onClick={() => revoke(hook)}>
              {t('hooks.webhooks.revoke')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  )
}
