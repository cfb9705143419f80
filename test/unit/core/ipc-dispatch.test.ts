import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ClientError } from '../../../src/main/core/errors'
import type { Handlers } from '../../../src/main/core/handlers'
import { dispatch } from '../../../src/main/core/ipc-dispatch'
import { createLogger, textLines } from '../../../src/main/core/logger'
import type { Result } from '../../../src/shared/errors'
import { IPC_METHOD_NAMES, IPC_METHODS, type IpcMethod, type IpcRequest } from '../../../src/shared/ipc'

const ID = '00000000-0000-4000-8000-00000000000a'
const ID2 = '00000000-0000-4000-8000-00000000000b'
const SERVER = 'http://192.168.1.5:8080'

/** One valid request per method; a method missing here is a compile error. */
const VALID: { [M in IpcMethod]: IpcRequest<M> } = {
  'app.info': {},
  'app.secretStorage': {},
  'app.allowPlaintextSecrets': { allow: true },
  'app.appearance': {},
  'app.setAppearance': { theme: 'dark', textSize: 'large' },
  'server.probe': { serverUrl: SERVER },
  'server.info': { serverUrl: SERVER },
  'server.trust': { serverUrl: 'https://192.168.1.5:7450', fingerprint: 'AB:'.repeat(31) + 'AB' },
  'discovery.start': {},
  'discovery.stop': {},
  'hosting.status': {},
  'hosting.start': { port: 7450, name: 'Front office' },
  'hosting.stop': {},
  'hosting.setAutoStart': { autoStart: true },
  'hosting.setNetwork': { listen: { mode: 'interface', address: '192.168.1.5' }, advertise: false },
  'hosting.invite': { serverUrl: 'https://192.168.1.5:7450', code: 'ABCDE-FGH12' },
  'session.get': {},
  'session.register': { serverUrl: SERVER, username: 'ann', password: 'correct horse', displayName: 'Ann', inviteCode: 'ABCDE-FGH12' },
  'session.requestReset': { serverUrl: SERVER, username: 'ann' },
  'session.resetPassword': { serverUrl: SERVER, username: 'ann', code: 'abcde fgh12', password: 'a new password' },
  'session.login': { serverUrl: SERVER, username: 'ann', password: 'correct horse' },
  'session.logout': {},
  'session.switchAccount': { accountId: 'a'.repeat(32) },
  'session.unread': {},
  'session.knownServers': {},
  'connection.get': {},
  'connection.retry': {},
  'profile.update': { displayName: 'Ann', hideLastSeen: true },
  'users.search': { query: 'an', limit: 5 },
  'conversations.list': {},
  'conversations.get': { conversationId: ID },
  'conversations.openDirect': { userId: ID2 },
  'conversations.createGroup': { title: 'Team', memberIds: [ID2] },
  'conversations.update': { conversationId: ID, title: 'New title' },
  'conversations.delete': { conversationId: ID },
  'conversations.leave': { conversationId: ID },
  'conversations.addMembers': { conversationId: ID, userIds: [ID2] },
  'conversations.removeMember': { conversationId: ID, userId: ID2 },
  'conversations.setRole': { conversationId: ID, userId: ID2, role: 'admin' },
  'conversations.clear': { conversationId: ID },
  'conversations.markRead': { conversationId: ID, seq: 3 },
  'conversations.getJoinCode': { conversationId: ID },
  'conversations.createJoinCode': { conversationId: ID, expiresInSeconds: 3600, maxUses: 5 },
  'conversations.revokeJoinCode': { conversationId: ID },
  'conversations.setMuted': { conversationId: ID, muted: true },
  'conversations.muted': {},
  'users.known': {},
  'conversations.join': { code: 'ABCDE-FGH12' },
  'messages.page': { conversationId: ID, before: 10, limit: 20 },
  'messages.send': { conversationId: ID, text: 'hello', replyTo: 1, mentions: [ID2] },
  'messages.retry': { clientId: 'c1' },
  'messages.discard': { clientId: 'c1' },
  'messages.edit': { conversationId: ID, seq: 1, text: 'edited', mentions: [] },
  'messages.delete': { conversationId: ID, seq: 1 },
  'messages.react': { conversationId: ID, seq: 1, emoji: '👍' },
  'messages.receipts': { conversationId: ID, seq: 1 },
  'messages.removePreview': { conversationId: ID, seq: 1 },
  'messages.search': { query: 'hello', before: '123', limit: 10 },
  // Issue 20 (i20-menu)
  'messageMenu.forward': { from: { conversationId: ID, seq: 1 }, to: [ID] },
  'messageMenu.markUnread': { conversationId: ID, seq: 1 },
  'rooms.list': { query: 'lob', limit: 5 },
  'rooms.enter': { name: 'lobby', description: 'everyone' },
  'rooms.join': { roomId: ID },
  'contacts.list': {},
  'contacts.remove': { userId: ID2 },
  // Issue 20 (pins).
  'pins.list': { conversationId: ID },
  'pins.pin': { conversationId: ID, seq: 3 },
  'pins.unpin': { conversationId: ID, seq: 3 },
  'saved.list': {},
  'saved.save': { conversationId: ID, seq: 3 },
  'saved.unsave': { conversationId: ID, seq: 3 },
  'invitations.list': {},
  'invitations.send': { userId: ID2, message: 'Hi, it is Ann' },
  'invitations.accept': { invitationId: ID },
  'invitations.decline': { invitationId: ID },
  'invitations.cancel': { invitationId: ID },
  'presence.set': { status: 'away' },
  'presence.list': { userIds: [ID2] },
  'typing.start': { conversationId: ID },
  'typing.stop': { conversationId: ID },
  'admin.users': {},
  'admin.updateUser': { userId: ID2, disabled: true, serverAdmin: false },
  'admin.resetPassword': { userId: ID2 },
  'admin.settings': {},
  'admin.updateSettings': { name: 'Office', registration: 'invite', maxFileBytes: 4096, retentionDays: 30 },
  'admin.invites': {},
  'admin.createInvite': { maxUses: 3, expiresInSeconds: 3600 },
  'admin.deleteInvite': { code: 'ABCDEFGH12' },
  'files.pick': {},
  'files.stagePaths': { paths: ['/home/someone/photo.jpg'] },
  'files.stageBytes': { name: 'pasted image.png', type: 'image/png', bytes: new Uint8Array([137, 80, 78, 71]) },
  'files.send': { conversationId: ID, text: '', files: [{ stagedId: ID2, width: 640, height: 480, thumbnail: 'data:image/png;base64,AAAA' }] },
  'files.download': { conversationId: ID, fileId: ID2, name: 'report.pdf', size: 10, sha256: 'a'.repeat(64) },
  'files.preview': { fileId: ID2 },
  'files.downloadDir': {},
  'files.chooseDownloadDir': {},
  'exports.start': { conversationId: ID, format: 'zip', attachments: true },
  'exports.list': {},
  'exports.userData': { userId: ID, username: 'sam' },
  'exports.cancel': { id: ID },
  'exports.showInFolder': { id: ID },
  'exports.open': {},
  'exports.image': { viewId: ID, path: 'conversations/x/attachments/y/cat.png' },
  'exports.close': { viewId: ID },
  'transfers.list': {},
  'transfers.pause': { id: ID },
  'transfers.resume': { id: ID },
  'transfers.cancel': { id: ID },
  'transfers.open': { id: ID },
  'transfers.showInFolder': { id: ID },
  'calls.start': { conversationId: ID, media: 'video', peerId: ID2 },
  'calls.join': { callId: ID, peerId: ID2 },
  'calls.decline': { callId: ID },
  'calls.leave': { callId: ID, peerId: ID2 },
  'calls.signal': { callId: ID, from: ID2, to: ID, candidate: { candidate: 'candidate:1 1 udp 2122260223 192.168.1.5 54400 typ host', sdpMid: '0', sdpMLineIndex: 0 } },
  'calls.media': { callId: ID, peerId: ID2, muted: true, camera: false, screen: false },
  'calls.list': {},
  'calls.screenSources': {},
  'calls.chooseScreenSource': { sourceId: 'screen:1:0' },
  // User groups (issue 20)
  'userGroups.list': {},
  'userGroups.create': { handle: 'design', name: 'Design', memberIds: [ID2], managerIds: [] },
  'userGroups.update': { userGroupId: ID, patch: { memberIds: [ID2] } },
  'userGroups.delete': { userGroupId: ID },
  'drafts.list': {},
  'drafts.set': { conversationId: ID, text: 'half a thought' },
  'invites.link': { code: 'ABCDE23456' },
  // Threads (issue 20, item 3)
  'threads.page': { conversationId: ID, rootSeq: 3 },
  'threads.list': {},
  'threads.read': { conversationId: ID, rootSeq: 3, seq: 5 },
  'threads.follow': { conversationId: ID, rootSeq: 3, following: false },
  'notifications.prefs': {},
  'notifications.update': { level: 'mentions' },
  // Issue 21 (i21-notify)
  'window.attention': { focused: false, visible: true },
  // Scheduled messages (issue 21 item 4)
  'scheduled.list': {},
  'scheduled.create': { conversationId: ID, text: 'good morning', sendAt: '2030-01-01T09:00:00.000Z' },
  'scheduled.update': { id: ID, text: 'good morning, all' },
  'scheduled.cancel': { id: ID },
  'scheduled.sendNow': { id: ID },
  // Issue 21 (i21-hooks).
  'webhooks.list': { conversationId: ID },
  'webhooks.create': { conversationId: ID, name: 'CI' },
  'webhooks.revoke': { conversationId: ID, webhookId: ID2 },
  'admin.bots': {},
  'admin.createBot': { username: 'printer', displayName: 'Printer', conversationIds: [ID] },
  'admin.updateBot': { botId: ID, patch: { conversationIds: [ID2] } },
  'admin.deleteBot': { botId: ID },
  'admin.createBotToken': { botId: ID },
  'admin.revokeBotToken': { botId: ID, tokenId: ID2 }
}

/** Methods whose every field is optional (their schema takes {}): a missing (null/undefined) request means {} for them. */
const NOTHING_REQUIRED = new Set<IpcMethod>(IPC_METHOD_NAMES.filter((name) => IPC_METHODS[name].request.safeParse({}).success))

/** A value of another type than the given one. */
function wrongType(value: unknown): unknown {
  if (typeof value === 'string') return 12345
  if (typeof value === 'number') return String(value)
  if (typeof value === 'boolean') return 'true'
  if (Array.isArray(value)) return value.length ? [42] : 'not an array'
  return 7
}

function badPayloads(method: IpcMethod): Array<[label: string, payload: unknown, field?: string]> {
  const valid = VALID[method] as Record<string, unknown>
  const out: Array<[string, unknown, string?]> = [
    ['a number', 42],
    ['a string', 'hello'],
    ['a boolean', true],
    ['an array', []],
    ['an array of the valid request', [valid]],
    ['an extra field', { ...valid, extra: 1 }]
  ]
  if (!NOTHING_REQUIRED.has(method)) out.push(['null', null], ['undefined', undefined])
  for (const [key, value] of Object.entries(valid)) out.push([`${key} of the wrong type`, { ...valid, [key]: wrongType(value) }, key])
  return out
}

let handlers: Record<IpcMethod, ReturnType<typeof vi.fn>>
let logged: string[]
const log = createLogger('test', textLines((line) => logged.push(line)))

function run(method: string, payload: unknown): Promise<Result<unknown>> {
  return dispatch(handlers as unknown as Handlers, method, payload, log)
}

beforeEach(() => {
  logged = []
  handlers = Object.fromEntries(IPC_METHOD_NAMES.map((name) => [name, vi.fn((request: unknown) => Promise.resolve({ handled: name, request }))])) as typeof handlers
})

describe('dispatch', () => {
  it('refuses an unknown method as not_found, including names inherited from Object', async () => {
    for (const method of ['nope', 'app', 'app.info.x', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '']) {
      const result = await run(method, {})
      expect(result).toEqual({ ok: false, error: { code: 'not_found', message: `unknown method "${method}"` } })
    }
  })

  it.each(IPC_METHOD_NAMES)('%s: runs the handler with a valid request', async (method) => {
    const result = await run(method, VALID[method])
    expect(result.ok).toBe(true)
    expect(handlers[method]).toHaveBeenCalledTimes(1)
    for (const other of IPC_METHOD_NAMES) if (other !== method) expect(handlers[other]).not.toHaveBeenCalled()
  })

  it.each(IPC_METHOD_NAMES)('%s: refuses bad payloads with validation_failed, never calling the handler', async (method) => {
    for (const [label, payload, field] of badPayloads(method)) {
      const result = await run(method, payload)
      expect(result.ok, `${method} with ${label}`).toBe(false)
      if (result.ok) continue
      expect(result.error.code, `${method} with ${label}`).toBe('validation_failed')
      expect(result.error.message.startsWith(`${method}: `), result.error.message).toBe(true)
      if (field) expect(result.error.message, label).toContain(`${method}: ${field}`)
    }
    expect(handlers[method]).not.toHaveBeenCalled()
  })

  it('a missing request means {} for methods whose fields are all optional', async () => {
    for (const method of NOTHING_REQUIRED) {
      expect(await run(method, null), method).toMatchObject({ ok: true, data: { handled: method, request: {} } })
      expect(await run(method, undefined), method).toMatchObject({ ok: true })
    }
  })

  it('hands the handler the parsed request (trimmed, transformed)', async () => {
    await run('conversations.join', { code: ' abcde-fgh12 ' })
    expect(handlers['conversations.join']).toHaveBeenCalledWith({ code: 'ABCDEFGH12' })
    await run('users.search', { query: '  ann  ' })
    expect(handlers['users.search']).toHaveBeenCalledWith({ query: 'ann' })
  })

  it("returns a ClientError's code and message", async () => {
    handlers['conversations.leave'].mockRejectedValueOnce(new ClientError('forbidden', 'only members may leave', 403))
    expect(await run('conversations.leave', VALID['conversations.leave'])).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'only members may leave' }
    })
    expect(logged).toEqual([])
  })

  it('turns any other failure into internal and logs it, never throwing', async () => {
    handlers['app.info'].mockRejectedValueOnce(new Error('disk on fire'))
    expect(await run('app.info', {})).toEqual({ ok: false, error: { code: 'internal', message: 'disk on fire' } })
    handlers['app.info'].mockImplementationOnce(() => {
      throw new TypeError('sync throw')
    })
    expect(await run('app.info', {})).toEqual({ ok: false, error: { code: 'internal', message: 'sync throw' } })
    handlers['app.info'].mockRejectedValueOnce('a string')
    expect(await run('app.info', {})).toEqual({ ok: false, error: { code: 'internal', message: 'a string' } })
    expect(logged).toHaveLength(3)
    expect(logged[0]).toContain('app.info failed')
  })
})

describe('the ServerUrl field', () => {
  const withUrl = ['session.login', 'session.register'] as const

  it('server.probe: an address without a scheme is tried over https first, then http', async () => {
    const accepted: Array<[string, string[]]> = [
      ['192.168.1.5:8080', ['https://192.168.1.5:8080/', 'http://192.168.1.5:8080/']],
      ['  localhost:3000  ', ['https://localhost:3000/', 'http://localhost:3000/']],
      ['http://chat.lan', ['http://chat.lan']],
      ['https://chat.example.org', ['https://chat.example.org']]
    ]
    for (const [input, expected] of accepted) {
      const result = await run('server.probe', { serverUrl: input })
      expect(result.ok, input).toBe(true)
      const request = handlers['server.probe'].mock.lastCall![0] as { serverUrl: string[] }
      expect(request.serverUrl.map((u) => u.replace(/\/$/, ''))).toEqual(expected.map((u) => u.replace(/\/$/, '')))
    }
    for (const input of ['file:///etc/passwd', 'javascript:alert(1)', 'ftp://host', '', '   ', 'http://', 'a'.repeat(2049)]) {
      const result = await run('server.probe', { serverUrl: input })
      expect(result, input).toMatchObject({ ok: false, error: { code: 'validation_failed' } })
      if (!result.ok) expect(result.error.message.startsWith('server.probe: serverUrl'), result.error.message).toBe(true)
    }
  })

  it('server.trust: takes a fingerprint with or without colons, and nothing else', async () => {
    const hex = 'ab'.repeat(32)
    expect((await run('server.trust', { serverUrl: 'https://h:1', fingerprint: hex })).ok).toBe(true)
    for (const fingerprint of ['', 'ab', 'zz'.repeat(32), 'ab'.repeat(33)]) {
      expect(await run('server.trust', { serverUrl: 'https://h:1', fingerprint }), fingerprint).toMatchObject({ ok: false, error: { code: 'validation_failed' } })
    }
  })

  it.each(withUrl)('%s: accepts host:port (as http://) and http(s) addresses', async (method) => {
    const accepted: Array<[string, string]> = [
      ['192.168.1.5:8080', 'http://192.168.1.5:8080'],
      ['  localhost:3000  ', 'http://localhost:3000'],
      ['chat.lan', 'http://chat.lan'],
      ['https://chat.example.org', 'https://chat.example.org'],
      ['HTTP://Chat.LAN:8080', 'HTTP://Chat.LAN:8080']
    ]
    for (const [input, expected] of accepted) {
      const result = await run(method, { ...VALID[method], serverUrl: input })
      expect(result.ok, input).toBe(true)
      const request = handlers[method].mock.lastCall![0] as { serverUrl: string }
      expect(request.serverUrl.replace(/\/$/, '')).toBe(expected)
    }
  })

  it.each(withUrl)('%s: refuses other schemes and things that are not addresses', async (method) => {
    const refused = ['file:///etc/passwd', 'javascript:alert(1)', 'javascript://alert(1)', 'ftp://host', 'data:text/html,hi', '', '   ', 'http://', 'a'.repeat(2049)]
    for (const input of refused) {
      const result = await run(method, { ...VALID[method], serverUrl: input })
      expect(result, input).toMatchObject({ ok: false, error: { code: 'validation_failed' } })
      if (!result.ok) expect(result.error.message.startsWith(`${method}: serverUrl: `), result.error.message).toBe(true)
    }
    expect(handlers[method]).not.toHaveBeenCalled()
  })
})
