import { describe, expect, it, vi } from 'vitest'
import {
  createMessengerApi,
  IPC_METHOD_NAMES,
  IPC_METHODS,
  MESSENGER_EVENT_NAMES,
  type Invoke,
  type MessengerEvent,
  type Subscribe
} from '../../../src/shared/ipc'

const CONV = '00000000-0000-4000-8000-00000000000a'

function transport(): { invoke: ReturnType<typeof vi.fn<Invoke>>; subscribe: ReturnType<typeof vi.fn<Subscribe>>; send: (batch: MessengerEvent[]) => void } {
  let deliver: ((batch: MessengerEvent[]) => void) | null = null
  const invoke = vi.fn<Invoke>((method, request) => Promise.resolve({ ok: true, data: { method, request } }))
  const subscribe = vi.fn<Subscribe>((listener) => {
    deliver = listener
  })
  return { invoke, subscribe, send: (batch) => deliver?.(batch) }
}

/** The api as a plain table, for walking it by name. */
function table(api: unknown): Record<string, Record<string, unknown>> {
  return api as Record<string, Record<string, unknown>>
}

describe('createMessengerApi methods', () => {
  it('has one named function per IPC method and nothing else besides the on… listeners', () => {
    const api = table(createMessengerApi(transport().invoke, transport().subscribe))
    const methods: string[] = []
    for (const [domain, value] of Object.entries(api)) {
      if (typeof value === 'function') {
        expect(domain).toMatch(/^on[A-Z]/)
        continue
      }
      for (const [verb, fn] of Object.entries(value)) {
        expect(typeof fn).toBe('function')
        methods.push(`${domain}.${verb}`)
      }
    }
    expect(methods.sort()).toEqual([...IPC_METHOD_NAMES].sort())
    expect(IPC_METHOD_NAMES).toEqual(Object.keys(IPC_METHODS))
    expect(api).not.toHaveProperty('invoke')
  })

  it('every method calls invoke with its own name and the request, {} when none is given', async () => {
    const { invoke, subscribe } = transport()
    const api = table(createMessengerApi(invoke, subscribe))
    for (const name of IPC_METHOD_NAMES) {
      const [domain, verb] = name.split('.') as [string, string]
      const call = api[domain]![verb] as (request?: unknown) => Promise<unknown>
      const request = { probe: name }
      expect(await call(request)).toEqual({ ok: true, data: { method: name, request } })
      expect(invoke).toHaveBeenLastCalledWith(name, request)
      await call()
      expect(invoke).toHaveBeenLastCalledWith(name, {})
    }
    expect(invoke).toHaveBeenCalledTimes(2 * IPC_METHOD_NAMES.length)
    expect(subscribe).not.toHaveBeenCalled()
  })

  it('passes failures through as results', async () => {
    const invoke = vi.fn<Invoke>(() => Promise.resolve({ ok: false, error: { code: 'forbidden', message: 'no' } }))
    const api = createMessengerApi(invoke, transport().subscribe)
    expect(await api.conversations.leave({ conversationId: CONV })).toEqual({ ok: false, error: { code: 'forbidden', message: 'no' } })
  })

  it('is typed by the contract: methods with fields need a request, others may omit it', async () => {
    const api = createMessengerApi(transport().invoke, transport().subscribe)
    await api.app.info()
    await api.users.search()
    await api.typing.start({ conversationId: CONV })
    // @ts-expect-error typing.start needs its conversationId
    await api.typing.start()
    // @ts-expect-error an empty request takes no fields
    await api.session.get({ extra: 1 })
    // @ts-expect-error there is no generic invoke
    expect(api.invoke).toBeUndefined()
  })
})

describe('createMessengerApi listeners', () => {
  const listenerName = (type: string): string => `on${type[0]!.toUpperCase()}${type.slice(1)}`

  it('has an on… listener for every event, subscribing to the transport once, on first use', () => {
    const { invoke, subscribe } = transport()
    const api = table(createMessengerApi(invoke, subscribe))
    expect(subscribe).not.toHaveBeenCalled()
    for (const type of MESSENGER_EVENT_NAMES) {
      const on = api[listenerName(type)] as unknown as (listener: () => void) => () => void
      expect(typeof on).toBe('function')
      on(() => undefined)()
    }
    expect(subscribe).toHaveBeenCalledTimes(1)
  })

  it('routes each event of a batch to the listeners of its type, in order', () => {
    const { invoke, subscribe, send } = transport()
    const api = createMessengerApi(invoke, subscribe)
    const seen: string[] = []
    api.onCleared((p) => seen.push(`cleared:${p.clearedSeq}`))
    api.onCleared((p) => seen.push(`cleared again:${p.clearedSeq}`))
    api.onPresence((p) => seen.push(`presence:${p.length}`))
    send([
      { type: 'cleared', payload: { conversationId: CONV, clearedSeq: 4 } },
      { type: 'typing', payload: [] },
      { type: 'presence', payload: [] },
      { type: 'cleared', payload: { conversationId: CONV, clearedSeq: 5 } }
    ])
    expect(seen).toEqual(['cleared:4', 'cleared again:4', 'presence:0', 'cleared:5', 'cleared again:5'])
  })

  it('the returned function unsubscribes that listener only; the transport stays subscribed', () => {
    const { invoke, subscribe, send } = transport()
    const api = createMessengerApi(invoke, subscribe)
    const first = vi.fn()
    const second = vi.fn()
    const off = api.onConnection(first)
    api.onConnection(second)
    const event: MessengerEvent = { type: 'connection', payload: { status: 'online', queued: 0, syncing: false, error: null } }
    send([event])
    off()
    off()
    send([event])
    expect(first).toHaveBeenCalledTimes(1)
    expect(second).toHaveBeenCalledTimes(2)
    expect(second).toHaveBeenLastCalledWith(event.payload)
    // Listening again after all listeners left reuses the one subscription.
    api.onConnection(first)
    send([event])
    expect(first).toHaveBeenCalledTimes(2)
    expect(subscribe).toHaveBeenCalledTimes(1)
  })

  it('the same function added twice is called once per event (a set of listeners)', () => {
    const { invoke, subscribe, send } = transport()
    const api = createMessengerApi(invoke, subscribe)
    const listener = vi.fn()
    api.onSession(listener)
    api.onSession(listener)
    send([{ type: 'session', payload: { status: 'signed_out', reason: 'start', accounts: [] } }])
    expect(listener).toHaveBeenCalledTimes(1)
  })
})
