// Issue 20: one account's pinned messages (per conversation) and saved
// messages, cached in pins-saved.json beside the message cache so the window
// shows them offline. Fetched when the window asks and at every connection;
// kept by the server's pins:updated and saved:updated, and by edits,
// deletions, expiry and leaving, which change what a pin or saved item shows.
import { join } from 'node:path'
import { Low } from 'lowdb'
import { z } from 'zod'
import { Message } from '../../shared/schemas/messages'
import { Pin, PinsResponse } from '../../shared/schemas/pins'
import { SavedItem, SavedResponse } from '../../shared/schemas/saved'
import { DurableJsonFile } from '../../node/json-file'
import type { AccountContext } from './context'
import { isTransient } from './errors'
import { fromServer } from './server-data'

interface Data {
  /** By conversation id: only conversations whose pins were fetched or announced. */
  pins: Record<string, Pin[]>
  saved: SavedItem[]
}

const PinsEvent = z.object({ conversationId: z.string(), pins: z.array(Pin) })
const SavedEvent = z.object({ added: SavedItem.optional(), removed: z.object({ conversationId: z.string(), seq: z.number() }).optional() })

const same = (a: { conversationId: string; seq: number }, b: { conversationId: string; seq: number }): boolean =>
  a.conversationId === b.conversationId && a.seq === b.seq

export class PinsAndSaved {
  private constructor(
    private readonly ctx: AccountContext,
    private readonly db: Low<Data>
  ) {}

  /** Opens the cached lists in `dir` (the account's cache directory) and listens to the account's socket. */
  static async open(ctx: AccountContext, dir: string): Promise<PinsAndSaved> {
    const db = new Low<Data>(new DurableJsonFile<Data>(join(dir, 'pins-saved.json')), { pins: {}, saved: [] })
    await db.read()
    const store = new PinsAndSaved(ctx, db)
    store.listen()
    return store
  }

  private get data(): Data {
    return this.db.data
  }

  /** The conversation's pins: fresh from the server when it answers, else as cached. */
  async pins(conversationId: string): Promise<Pin[]> {
    try {
      return await this.fetchPins(conversationId)
    } catch (err) {
      if (!isTransient(err)) throw err
      return this.data.pins[conversationId] ?? []
    }
  }

  async setPinned(conversationId: string, seq: number, pinned: boolean): Promise<Pin[]> {
    const body = await this.ctx.session.request(pinned ? 'PUT' : 'DELETE', `/conversations/${conversationId}/pins/${seq}`)
    return this.putPins(conversationId, fromServer(PinsResponse, body, 'pin list').pins)
  }

  /** The saved list: fresh from the server when it answers, else as cached. */
  async saved(): Promise<SavedItem[]> {
    try {
      return await this.fetchSaved()
    } catch (err) {
      if (!isTransient(err)) throw err
      return this.data.saved
    }
  }

  async save(conversationId: string, seq: number): Promise<SavedItem> {
    const item = fromServer(SavedItem, await this.ctx.session.request('PUT', `/saved/${conversationId}/${seq}`), 'saved message')
    await this.putSaved([item, ...this.data.saved.filter((s) => !same(s, item))])
    return item
  }

  async unsave(conversationId: string, seq: number): Promise<void> {
    await this.ctx.session.request('DELETE', `/saved/${conversationId}/${seq}`)
    await this.putSaved(this.data.saved.filter((s) => !same(s, { conversationId, seq })))
  }

  /** At every connection: the saved list, and the pins of every conversation whose pins are cached. */
  async refresh(): Promise<void> {
    await this.fetchSaved()
    const known = new Set(this.ctx.cache.conversationIds())
    for (const id of Object.keys(this.data.pins)) {
      if (known.has(id)) await this.fetchPins(id)
      else await this.dropPins(id)
    }
  }

  private async fetchPins(conversationId: string): Promise<Pin[]> {
    const body = await this.ctx.session.request('GET', `/conversations/${conversationId}/pins`)
    return this.putPins(conversationId, fromServer(PinsResponse, body, 'pin list').pins)
  }

  private async fetchSaved(): Promise<SavedItem[]> {
    return this.putSaved(fromServer(SavedResponse, await this.ctx.session.request('GET', '/saved'), 'saved list').saved)
  }

  private async putPins(conversationId: string, pins: Pin[]): Promise<Pin[]> {
    this.data.pins[conversationId] = pins
    this.ctx.events.emit('pins', { conversationId, pins })
    await this.db.write()
    return pins
  }

  private async dropPins(conversationId: string): Promise<void> {
    if (!(conversationId in this.data.pins)) return
    delete this.data.pins[conversationId]
    this.ctx.events.emit('pins', { conversationId, pins: [] })
    await this.db.write()
  }

  private async putSaved(saved: SavedItem[]): Promise<SavedItem[]> {
    this.data.saved = saved
    this.ctx.events.emit('saved', saved)
    await this.db.write()
    return saved
  }

  /** An edit shows in the pin and the saved item; a deletion takes the pin away and leaves the saved item unreadable. */
  private async onUpdated(message: Message): Promise<void> {
    const { conversationId, seq } = message
    const pins = this.data.pins[conversationId]
    if (pins?.some((p) => p.seq === seq)) {
      await this.putPins(conversationId, message.deletedAt ? pins.filter((p) => p.seq !== seq) : pins.map((p) => (p.seq === seq ? { ...p, message } : p)))
    }
    if (this.data.saved.some((s) => same(s, message))) {
      await this.putSaved(this.data.saved.map((s) => (same(s, message) ? { ...s, message: message.deletedAt ? null : message } : s)))
    }
  }

  /** Messages up to `upTo` are gone for this user (retention, or they left: everything). */
  private async onGone(conversationId: string, upTo: number): Promise<void> {
    const pins = this.data.pins[conversationId]
    if (pins?.some((p) => p.seq <= upTo)) await this.putPins(conversationId, pins.filter((p) => p.seq > upTo))
    if (this.data.saved.some((s) => s.conversationId === conversationId && s.seq <= upTo && s.message)) {
      await this.putSaved(this.data.saved.map((s) => (s.conversationId === conversationId && s.seq <= upTo ? { ...s, message: null } : s)))
    }
  }

  /** Beside the runtime's own listeners: the same events, for what pins and saved items show. A bad payload is logged, never thrown. */
  private listen(): void {
    const socket = this.ctx.realtime.socket
    const guard = <P>(name: string, fn: (payload: P) => Promise<unknown>) => (payload: P): void => {
      fn(payload).catch((err: unknown) => this.ctx.log.warn(`could not apply ${name} to pins and saved messages`, { err }))
    }
    socket.on('pins:updated', guard('pins:updated', async (p) => {
      const { conversationId, pins } = fromServer(PinsEvent, p, 'pin list')
      await this.putPins(conversationId, pins)
    }))
    socket.on('saved:updated', guard('saved:updated', async (p) => {
      const { added, removed } = fromServer(SavedEvent, p, 'saved change')
      let saved = this.data.saved
      if (removed) saved = saved.filter((s) => !same(s, removed))
      if (added) saved = [added, ...saved.filter((s) => !same(s, added))]
      await this.putSaved(saved)
    }))
    socket.on('message:updated', guard('message:updated', (p) => this.onUpdated(fromServer(Message, p.message, 'message'))))
    socket.on('conversation:expired', guard('conversation:expired', (p) => this.onGone(z.string().parse(p.conversationId), z.number().int().parse(p.expiredSeq))))
    socket.on('conversation:removed', guard('conversation:removed', async (p) => {
      const conversationId = z.string().parse(p.conversationId)
      await this.onGone(conversationId, Number.MAX_SAFE_INTEGER)
      await this.dropPins(conversationId)
    }))
  }
}
