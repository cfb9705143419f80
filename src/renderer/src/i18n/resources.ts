// Every text of the window, bundled (no fetch): one folder of JSON files per
// language, one file per area of the window. English is the reference: its
// keys type t() (a wrong key fails typecheck), and test/unit/renderer/i18n-keys
// checks every other language has them all.
import enAdmin from './locales/en/admin.json'
import enAttention from './locales/en/attention.json'
import enCalls from './locales/en/calls.json'
import enChat from './locales/en/chat.json'
import enCommon from './locales/en/common.json'
import enDialogs from './locales/en/dialogs.json'
import enErrors from './locales/en/errors.json'
import enHooks from './locales/en/hooks.json'
import enMentions from './locales/en/mentions.json'
import enMessageMenu from './locales/en/messageMenu.json'
import enNotify from './locales/en/notify.json'
import enPins from './locales/en/pins.json'
import enPreviews from './locales/en/previews.json'
import enScheduled from './locales/en/scheduled.json'
import enShell from './locales/en/shell.json'
import enStart from './locales/en/start.json'
import enThreads from './locales/en/threads.json'
import enTime from './locales/en/time.json'
import enUserGroups from './locales/en/userGroups.json'
import deAdmin from './locales/de/admin.json'
import deAttention from './locales/de/attention.json'
import deCalls from './locales/de/calls.json'
import deChat from './locales/de/chat.json'
import deCommon from './locales/de/common.json'
import deDialogs from './locales/de/dialogs.json'
import deErrors from './locales/de/errors.json'
import deHooks from './locales/de/hooks.json'
import deMentions from './locales/de/mentions.json'
import deMessageMenu from './locales/de/messageMenu.json'
import deNotify from './locales/de/notify.json'
import dePins from './locales/de/pins.json'
import dePreviews from './locales/de/previews.json'
import deScheduled from './locales/de/scheduled.json'
import deShell from './locales/de/shell.json'
import deStart from './locales/de/start.json'
import deThreads from './locales/de/threads.json'
import deTime from './locales/de/time.json'
import deUserGroups from './locales/de/userGroups.json'
import type { Language } from './language'

const en = { admin: enAdmin, attention: enAttention, calls: enCalls, chat: enChat, common: enCommon, dialogs: enDialogs, errors: enErrors, hooks: enHooks, mentions: enMentions, messageMenu: enMessageMenu, notify: enNotify, pins: enPins, previews: enPreviews, scheduled: enScheduled, shell: enShell, start: enStart, threads: enThreads, time: enTime, userGroups: enUserGroups }

export type Texts = typeof en

export const resources: Record<Language, { translation: Texts }> = {
  en: { translation: en },
  de: { translation: { admin: deAdmin, attention: deAttention, calls: deCalls, chat: deChat, common: deCommon, dialogs: deDialogs, errors: deErrors, hooks: deHooks, mentions: deMentions, messageMenu: deMessageMenu, notify: deNotify, pins: dePins, previews: dePreviews, scheduled: deScheduled, shell: deShell, start: deStart, threads: deThreads, time: deTime, userGroups: deUserGroups } }
}

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation'
    resources: { translation: Texts }
  }
}
