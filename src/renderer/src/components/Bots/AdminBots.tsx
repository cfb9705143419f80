// The Bots tab of the admin dialog (issue 21): make a bot with the groups and
// rooms it may use, change them, make tokens (each shown once, with Copy),
// revoke tokens, delete a bot.
import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Bot } from '../../../../shared/schemas/bots'
import { createBot, createBotToken, deleteBot, listBots, revokeBotToken, setBotConversations, tokenLabel } from '../../lib/bots'
import { copyText } from '../../lib/webhooks'
import { useStore } from '../../store'
import { ErrorLine } from '../dialogs/ErrorLine'
import { errorText, useAction } from '../dialogs/useAction'
import { BotBadge } from './BotBadge'
import './Bots.css'

/** The groups and rooms this admin can offer (those they are in), by title. */
function useGroups(): { id: string; title: string }[] {
  const conversations = useStore((s) => s.conversations)
  return useMemo(
    () =>
      Object.values(conversations)
        .filter((c) => c.kind !== 'direct')
        .map((c) => ({ id: c.id, title: c.title ?? '' }))
        .sort((a, b) => a.title.localeCompare(b.title)),
    [conversations]
  )
}

function Choices({ chosen, onChange, label }: { chosen: string[]; onChange: (ids: string[]) => void; label: string }): React.JSX.Element {
  const groups = useGroups()
  return (
    <fieldset>
      <legend>{label}</legend>
      {groups.map((g) => (
        <label key={g.id} className="row">
          <input type="checkbox" checked={chosen.includes(g.id)} onChange={(e) => onChange(e.target.checked ? [...chosen, g.id] : chosen.filter((id) => id !== g.id))} />
          {g.title}
        </label>
      ))}
    </fieldset>
  )
}

export function AdminBots(): React.JSX.Element {
  const { t } = useTranslation()
  const [bots, setBots] = useState<Bot[] | null>(null)
  const [username, setUsername] = useState('')
  const [displayName, setDisplayName] = useState('')
  const [chosen, setChosen] = useState<string[]>([])
  const [secret, setSecret] = useState<{ botId: string; secret: string } | null>(null)
  const [copied, setCopied] = useState(false)
  const { busy, error, run, setError } = useAction()

  useEffect(() => {
    let live = true
    listBots().then(
      (list) => live && setBots(list),
      (err: unknown) => live && setError(errorText(err))
    )
    return () => {
      live = false
    }
  }, [setError])
  const keep = (bot: Bot): void => setBots((list) => [...(list ?? []).filter((b) => b.user.id !== bot.user.id), bot])

  const create = (e: React.FormEvent): void => {
    e.preventDefault()
    void run('create', async () => {
      keep(await createBot({ username, displayName, conversationIds: chosen }))
      setUsername('')
      setDisplayName('')
      setChosen([])
    })
  }
  const token = (bot: Bot): void => {
    void run(`token-${bot.user.id}`, async () => {
      const made = await createBotToken(bot.user.id)
      setSecret({ botId: bot.user.id, secret: made.secret })
      setCopied(false)
      keep({ ...bot, tokens: [...bot.tokens, made.token] })
    })
  }
  const copy = (text: string): void => {
    void run('copy', async () => {
      await copyText(text, t('hooks.webhooks.copyFailed'))
      setCopied(true)
    })
  }

  return (
    <section aria-labelledby="bots-title">
      <h3 id="bots-title" className="dialog-section">
        {t('hooks.bots.title')}
      </h3>
      <p className="muted">{t('hooks.bots.intro')}</p>
      <ErrorLine error={error} />
      <form className="stack" onSubmit={create}>
        <div className="row">
          <input className="input" value={username} aria-label={t('hooks.bots.username')} placeholder={t('hooks.bots.username')} onChange={(e) => setUsername(e.target.value)} />
          <input className="input" value={displayName} aria-label={t('hooks.bots.displayName')} placeholder={t('hooks.bots.displayName')} onChange={(e) => setDisplayName(e.target.value)} />
        </div>
        <Choices chosen={chosen} onChange={setChosen} label={t('hooks.bots.conversations')} />
        <button type="submit" className="btn" disabled={busy !== null || username.trim() === '' || displayName.trim() === ''}>
          {t('hooks.bots.create')}
        </button>
      </form>
      {bots?.length === 0 ? <p className="muted">{t('hooks.bots.none')}</p> : null}
      <ul className="list-plain dialog-list" aria-label={t('hooks.bots.title')}>
        {(bots ?? []).map((bot) => (
          <li key={bot.user.id} className="stack">
            <div className="dialog-item-text">
              <span className="dialog-item-title">
                {bot.user.displayName}
                <BotBadge />
              </span>
              <span className="muted">
                @{bot.user.username} · {t('hooks.bots.tokens', { count: bot.tokens.length })}
              </span>
            </div>
            <Choices
              chosen={bot.conversationIds}
              label={t('hooks.bots.conversations')}
              onChange={(ids) => void run(`scope-${bot.user.id}`, async () => keep(await setBotConversations(bot.user.id, ids)))}
            />
            {secret?.botId === bot.user.id ? (
              <div className="row">
                <span role="status">{t('hooks.bots.tokenOnce')}</span>
                <input className="input webhook-url" readOnly value={secret.secret} aria-label={t('hooks.bots.token')} onFocus={(e) => e.currentTarget.select()} />
                <button type="button" className="btn" onClick={() => copy(secret.secret)}>
                  {t('hooks.bots.copy')}
                </button>
                {copied ? <span className="muted">{t('hooks.bots.copied')}</span> : null}
              </div>
            ) : null}
            <div className="row">
              <button type="button" className="btn" disabled={busy !== null} onClick={() => token(bot)}>
                {t('hooks.bots.newToken')}
              </button>
              {bot.tokens.map((tok) => (
                <button
                  key={tok.id}
                  type="button"
                  className="btn"
                  disabled={busy !== null}
                  onClick={() =>
                    void run(`revoke-${tok.id}`, async () => {
                      if (await revokeBotToken(bot.user.id, tok)) keep({ ...bot, tokens: bot.tokens.filter((x) => x.id !== tok.id) })
                    })
                  }
                >
                  {tokenLabel(tok.createdAt)}
                </button>
              ))}
              <button
                type="button"
                className="btn btn-danger"
                disabled={busy !== null}
                onClick={() =>
                  void run(`delete-${bot.user.id}`, async () => {
                    if (await deleteBot(bot)) setBots((list) => (list ?? []).filter((b) => b.user.id !== bot.user.id))
                  })
                }
              >
                {t('hooks.bots.delete')}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  )
}
