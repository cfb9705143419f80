// Main's events into the store, and the first state at start. Called once.
import type { SessionState } from '../../../shared/ipc'
import { api, unwrap } from '../lib/api'
import { useStore } from './index'
import { selectConversationIds } from './selectors'

/** Conversations (the most recent) whose newest page is loaded at start. */
const PREFETCH = 10

export async function bindStore(): Promise<void> {
  const m = api()
  const s = useStore.getState
  const account = (x: SessionState | null): string | null => (x?.status === 'signed_in' ? x.account.id : null)
  // Whoever sets the session (its event, a sign-in's or a switch's answer, whichever comes first), another account is loaded once.
  useStore.subscribe((state, prev) => {
    if (account(state.session) && account(state.session) !== account(prev.session)) void loadAccount()
  })
  m.onSession((session) => s().setSession(session))
  m.onUnread((unread) => s().setUnread(unread))
  m.onConnection((connection) => {
    const wasOnline = s().connection.status === 'online'
    s().setConnection(connection)
    if (connection.status === 'online' && !wasOnline) {
      void refreshPresence()
      // The server tells invitations live only to connected devices: what waits now, after every (re)connect
      // (a failure here is the connection going again, and the next one loads them).
      void s().loadInvitations().catch(() => undefined)
      // Calls that rang or ended while away; this window's own call takes its place again.
      void s().loadCalls().then(() => s().rejoinCall())
    }
  })
  m.onConversations((event) => {
    // New people to know the presence of (a new chat or group, a member added). Not "not in
    // the store yet": a dialog puts the conversation it created there before this event comes.
    const fresh = event.upserted.some((c) => c.members.some((x) => !presenceAsked.has(x.user.id)))
    s().applyConversations(event)
    if (fresh && s().connection.status === 'online') void refreshPresence()
  })
  m.onMessages((event) => {
    s().applyMessages(event)
    s().applyThreadMessages(event)
  })
  m.onFollowedThreads((event) => s().applyFollowedThreads(event))
  m.onOutbox((event) => s().applyOutbox(event))
  m.onCleared((event) => s().applyCleared(event))
  m.onPresence((list) => s().applyPresence(list))
  m.onMuted((ids) => s().setMuted(ids))
  m.onPeople((list) => s().applyPeople(list))
  m.onTyping((list) => s().applyTyping(list))
  m.onOpen((target) => s().openTarget(target))
  m.onHosting((status) => s().setHosting(status))
  m.onServers((list) => s().setServers(list))
  m.onTransfers((event) => s().applyTransfers(event))
  m.onExports((event) => s().applyExports(event))
  m.onInvitation(({ invitation }) => s().applyInvitation(invitation))
  m.onCalls((event) => s().applyCalls(event))
  m.onCallSignals((signals) => s().applyCallSignals(signals))
  m.onUserGroups((list) => s().setUserGroups(list))
  bindPins()
  m.onDrafts((event) => s().applyDrafts(event))
  m.onScheduled((list) => s().applyScheduled(list))
  m.onNotificationPrefs((prefs) => s().setNotificationPrefs(prefs))
  navigator.mediaDevices?.addEventListener('devicechange', () => void s().refreshDevices())

  // The page showed its cached copy; the core's kept choice wins (a failure leaves that copy).
  void s().loadAppearance().catch(() => undefined)
  void s().loadAccountsInfo().catch(() => undefined)
  const session = await unwrap(m.session.get())
  s().setConnection(await unwrap(m.connection.get()))
  s().setSession(session)
}

/** The cached conversations and presence of the signed-in account. */
export async function loadAccount(): Promise<void> {
  useStore.getState().resetPins()
  void useStore.getState().loadSaved().catch(() => undefined)
  useStore.getState().setConversations(await unwrap(api().conversations.list()))
  useStore.getState().setMuted(await unwrap(api().conversations.muted()))
  await useStore.getState().loadNotificationPrefs()
  useStore.getState().applyPeople(await unwrap(api().users.known()))
  await useStore.getState().loadDrafts()
  await useStore.getState().loadTransfers()
  await useStore.getState().loadCalls()
  await useStore.getState().loadUserGroups()
  await useStore.getState().loadFollowedThreads()
  await useStore.getState().loadScheduled()
  if (useStore.getState().connection.status === 'online') await Promise.all([refreshPresence(), useStore.getState().loadInvitations().catch(() => undefined)])
  prefetchRecent()
}

/** Issue 20: pins of the open conversation and the saved list, loaded for each account and kept by main's events. */
function bindPins(): void {
  const m = api()
  const s = useStore.getState
  m.onPins((event) => s().applyPins(event))
  m.onSaved((saved) => s().applySaved(saved))
  useStore.subscribe((state, prev) => {
    if (state.activeId && state.activeId !== prev.activeId && !state.pins[state.activeId]) void s().loadPins(state.activeId).catch(() => undefined)
  })
}

/**
 * The newest page of the most recent conversations, one at a time while the page is idle:
 * the first opening of one after start renders from the store, without a round trip to main.
 */
function prefetchRecent(): void {
  const ids = selectConversationIds(useStore.getState()).slice(0, PREFETCH)
  const next = (): void => {
    const id = ids.shift()
    if (!id) return
    const s = useStore.getState()
    void (s.threads[id] ? Promise.resolve() : s.loadLatest(id)).catch(() => undefined).then(() => whenIdle(next))
  }
  whenIdle(next)
}

const whenIdle = (fn: () => void): void => void (typeof requestIdleCallback === 'function' ? requestIdleCallback(fn, { timeout: 2000 }) : setTimeout(fn, 50))

/** Everyone who was in a conversation of the store when presence was last asked for. */
const presenceAsked = new Set<string>()

async function refreshPresence(): Promise<void> {
  for (const c of Object.values(useStore.getState().conversations)) for (const x of c.members) presenceAsked.add(x.user.id)
  const r = await api().presence.list({})
  if (r.ok) useStore.getState().applyPresence(r.data)
}
