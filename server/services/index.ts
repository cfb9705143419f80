import type { Store } from '../store/types'
import { AuthService } from './auth.service'
import { ConversationService } from './conversations.service'
import { MessageService } from './messages.service'
import { TokenService, type TokenSettings } from './tokens'
import { UserService } from './users.service'

export interface Services {
  store: Store
  tokens: TokenService
  auth: AuthService
  users: UserService
  conversations: ConversationService
  messages: MessageService
}

export function createServices(store: Store, tokenSettings: TokenSettings, scryptN: number): Services {
  const tokens = new TokenService(store.tokens, tokenSettings)
  const conversations = new ConversationService(store)
  return {
    store,
    tokens,
    auth: new AuthService(store.users, tokens, scryptN),
    users: new UserService(store.users),
    conversations,
    messages: new MessageService(store, conversations)
  }
}
