import { z } from 'zod'
import { LIMITS } from '../limits'
import { Id, lineText, queryInt, Timestamp } from './common'
import { GroupDescription } from './groups'

export const RoomName = lineText(1, LIMITS.roomNameMax)

/** "Enter a room name to create or join." */
export const EnterRoomBody = z.strictObject({ name: RoomName, description: GroupDescription.optional() })
export type EnterRoomBody = z.infer<typeof EnterRoomBody>

export const RoomSearchQuery = z.strictObject({
  q: z.string().trim().max(LIMITS.roomNameMax).optional(),
  limit: queryInt(z.number().int().min(1).max(LIMITS.searchResultsMax)).optional()
})

export const RoomSummary = z
  .object({
    id: Id,
    name: z.string(),
    description: z.string(),
    avatar: z.string().nullable(),
    memberCount: z.number().int().min(0),
    createdAt: Timestamp,
    lastActivityAt: Timestamp,
    joined: z.boolean().describe('whether the caller is a member')
  })
  .meta({ id: 'RoomSummary' })
export type RoomSummary = z.infer<typeof RoomSummary>

export const RoomListResponse = z.object({ rooms: z.array(RoomSummary) })
