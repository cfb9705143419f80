// calls.*: the window's signalling goes through the shown account's socket,
// each with its ack (an error comes back as its code: call_full, not_found,
// forbidden…). Screen sources come from the host (Electron's picker); the
// Node host has none, and its page uses the browser's getDisplayMedia picker.
import { z } from 'zod'
import { Call, IceServer } from '../../../shared/schemas/calls'
import type { ClientCore } from '../client'
import { AccountCalls } from '../calls'
import { fromServer } from '../server-data'
import type { HandlersFor } from './index'

const Joined = z.object({ call: Call, iceServers: z.array(IceServer) })

export function callHandlers(core: ClientCore): HandlersFor<'calls'> {
  /** The answer to a start or join: the call is known from now on (a reconnect then tells the window if it ended). */
  const joined = (body: unknown) => {
    const answer = fromServer(Joined, body, 'call')
    core.ctx().calls.remember(answer.call)
    return answer
  }
  const screens = core.options.screens

  return {
    'calls.start': async (payload) => joined(await core.ctx().realtime.call('call:start', payload)),
    'calls.join': async (payload) => joined(await core.ctx().realtime.call('call:join', payload)),
    'calls.decline': async (payload) => {
      await core.ctx().realtime.call('call:decline', payload)
      return null
    },
    'calls.leave': async (payload) => {
      await core.ctx().realtime.call('call:leave', payload)
      return null
    },
    'calls.signal': async (payload) => {
      const ctx = core.ctx()
      await ctx.calls.sendSignal(payload.to, () => ctx.realtime.call('call:signal', payload))
      return null
    },
    'calls.media': async (payload) => AccountCalls.parseCall(await core.ctx().realtime.call('call:media', payload)),
    'calls.list': async () => AccountCalls.parseList(await core.ctx().realtime.call('call:list', {})),
    'calls.screenSources': async () => (screens ? screens.sources() : null),
    'calls.chooseScreenSource': ({ sourceId }) => {
      screens?.choose(sourceId)
      return Promise.resolve(null)
    }
  }
}
