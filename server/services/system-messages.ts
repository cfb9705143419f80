import { randomUUID } from 'node:crypto'
import type { SystemEvent } from '../../src/shared/schemas/messages'
import type { MessageDraft } from '../store/types'

/** A system message draft: who changed what. Clients render it from `system`. */
export function systemDraft(actorId: string, event: SystemEvent): MessageDraft {
  return { clientId: `sys-${randomUUID()}`, senderId: actorId, text: '', kind: 'system', system: event }
}
