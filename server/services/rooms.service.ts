import { randomUUID } from 'node:crypto'
import type { EnterRoomBody, RoomSummary } from '../../src/shared/schemas/rooms'
import { AppError, notFound } from '../errors'
import type { ConversationRecord } from '../store/records'
import type { Store } from '../store/types'
import type { GroupChange } from './groups.service'
import { member } from './membership'
import { systemDraft } from './system-messages'

/** Room names are unique regardless of case. */
export async function assertRoomNameFree(store: Store, name: string, exceptId?: string): Promise<void> {
  const existing = await store.conversations.byRoomName(name)
  if (existing && existing.id !== exceptId) throw new AppError('conflict', `a room named "${existing.title ?? name}" already exists`)
}

/** Public rooms: anyone on the server can find them, enter and leave without an invitation. */
export class RoomService {
  constructor(private readonly store: Store) {}

  /** Joins the room of that name, creating it (with the caller as admin) if there is none. */
  async enter(userId: string, body: EnterRoomBody): Promise<{ change: GroupChange; outcome: 'created' | 'joined' | 'member' }> {
    const existing = await this.store.conversations.byRoomName(body.name)
    if (existing) {
      const { change, joined } = await this.join(userId, existing.id)
      return { change, outcome: joined ? 'joined' : 'member' }
    }
    const now = new Date().toISOString()
    const room: ConversationRecord = {
      id: randomUUID(),
      kind: 'room',
      title: body.name,
      description: body.description ?? '',
      avatar: null,
      joinCode: null,
      createdAt: now,
      createdBy: userId,
      directKey: null
    }
    try {
      await this.store.conversations.create(room, [member(room.id, userId, 'admin')])
    } catch (err) {
      // Someone created a room of that name meanwhile (names are unique): enter theirs.
      const raced = await this.store.conversations.byRoomName(body.name)
      if (!raced) throw err
      const { change, joined } = await this.join(userId, raced.id)
      return { change, outcome: joined ? 'joined' : 'member' }
    }
    await this.store.messages.append(room.id, systemDraft(userId, { type: 'group_created', title: body.name }))
    return { change: { conversation: room, messages: [], added: [], removed: [], deleted: false }, outcome: 'created' }
  }

  async join(userId: string, roomId: string): Promise<{ change: GroupChange; joined: boolean }> {
    // One join of a room at a time, on every node: two entering a room nobody
    // runs make one admin, and one person entering twice at once joins once.
    return this.store.locks.run(`room:${roomId}`, () => this.joinNow(userId, roomId))
  }

  private async joinNow(userId: string, roomId: string): Promise<{ change: GroupChange; joined: boolean }> {
    const room = await this.store.conversations.byId(roomId)
    if (!room || room.kind !== 'room') throw notFound('room')
    const members = await this.store.conversations.members(roomId)
    if (members.some((m) => m.userId === userId)) {
      return { change: { conversation: room, messages: [], added: [], removed: [], deleted: false }, joined: false }
    }
    // Whoever enters a room nobody runs (everyone left) runs it.
    const role = members.some((m) => m.role === 'admin') ? 'member' : 'admin'
    await this.store.conversations.addMembers(roomId, [member(roomId, userId, role)])
    const { message } = await this.store.messages.append(roomId, systemDraft(userId, { type: 'member_joined', userId, via: 'room' }))
    return { change: { conversation: room, messages: [message], added: [userId], removed: [], deleted: false }, joined: true }
  }

  /** Rooms whose name or description contains `q`, busiest first. */
  async list(userId: string, q: string | undefined, limit: number): Promise<RoomSummary[]> {
    const needle = (q ?? '').toLowerCase()
    const hits = (await this.store.conversations.rooms()).filter((r) => (r.title ?? '').toLowerCase().includes(needle) || r.description.toLowerCase().includes(needle))
    const summaries = await Promise.all(hits.map((r) => this.summary(r, userId)))
    return summaries
      .sort((a, b) => b.memberCount - a.memberCount || b.lastActivityAt.localeCompare(a.lastActivityAt))
      .slice(0, limit)
  }

  private async summary(room: ConversationRecord, userId: string): Promise<RoomSummary> {
    const [members, last] = await Promise.all([this.store.conversations.members(room.id), this.store.messages.last(room.id)])
    return {
      id: room.id,
      name: room.title ?? '',
      description: room.description,
      avatar: room.avatar,
      memberCount: members.length,
      createdAt: room.createdAt,
      lastActivityAt: last?.createdAt ?? room.createdAt,
      joined: members.some((m) => m.userId === userId)
    }
  }
}
