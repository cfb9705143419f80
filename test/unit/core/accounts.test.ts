import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AccountRegistry, accountId, normalizeServerUrl } from '../../../src/main/core/accounts'
import type { AccountSummary } from '../../../src/shared/ipc'

const USER_A = '00000000-0000-4000-8000-0000000000aa'
const USER_B = '00000000-0000-4000-8000-0000000000bb'

function summary(serverUrl: string, userId: string, username: string): AccountSummary {
  return { id: accountId(serverUrl, userId), serverUrl, userId, username, displayName: username.toUpperCase() }
}

describe('normalizeServerUrl', () => {
  it('lower-cases scheme and host, drops default ports and trailing slashes, keeps a path', () => {
    expect(normalizeServerUrl('HTTP://Chat.Example.LAN:80/')).toBe('http://chat.example.lan')
    expect(normalizeServerUrl('https://chat.example.lan:443')).toBe('https://chat.example.lan')
    expect(normalizeServerUrl('http://192.168.1.5:8080///')).toBe('http://192.168.1.5:8080')
    expect(normalizeServerUrl('http://host/messenger/')).toBe('http://host/messenger')
  })

  it('throws on something that is not a URL', () => {
    expect(() => normalizeServerUrl('not a url')).toThrow()
  })
})

describe('accountId', () => {
  it('is 32 hex characters, the same for every spelling of one server', () => {
    const id = accountId('http://192.168.1.5:8080', USER_A)
    expect(id).toMatch(/^[a-f0-9]{32}$/)
    expect(accountId('HTTP://192.168.1.5:8080/', USER_A)).toBe(id)
  })

  it('differs by user, by server, by port and by scheme', () => {
    const ids = new Set([
      accountId('http://host:8080', USER_A),
      accountId('http://host:8080', USER_B),
      accountId('http://other:8080', USER_A),
      accountId('http://host:8081', USER_A),
      accountId('https://host:8080', USER_A)
    ])
    expect(ids.size).toBe(5)
  })
})

describe('AccountRegistry', () => {
  let dir: string

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accounts-'))
  })

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('creates its directory and starts with no accounts', async () => {
    const userData = join(dir, 'nested', 'user-data')
    const registry = await AccountRegistry.open(userData)
    expect((await stat(userData)).isDirectory()).toBe(true)
    expect(registry.list()).toEqual([])
    expect(registry.active()).toBeUndefined()
    expect(registry.userDataDir).toBe(userData)
  })

  it('remembers accounts most recent first, makes the latest active, and keeps them across reopen', async () => {
    const registry = await AccountRegistry.open(dir)
    const ann = summary('http://host:8080', USER_A, 'ann')
    const ben = summary('http://other:8080', USER_B, 'ben')
    await registry.remember(ann)
    await registry.remember(ben)
    expect(registry.list().map((a) => a.username)).toEqual(['ben', 'ann'])
    expect(registry.active()).toEqual(ben)
    // Signing in again moves the account to the front without a duplicate.
    await registry.remember({ ...ann, displayName: 'Ann 2' })
    expect(registry.list().map((a) => [a.username, a.displayName])).toEqual([
      ['ann', 'Ann 2'],
      ['ben', 'BEN']
    ])
    const reopened = await AccountRegistry.open(dir)
    expect(reopened.list()).toEqual(registry.list())
    expect(reopened.active()?.id).toBe(ann.id)
    expect(reopened.get(ben.id)).toEqual(ben)
    expect(reopened.get('0'.repeat(32))).toBeUndefined()
  })

  it('list() hands out copies', async () => {
    const registry = await AccountRegistry.open(dir)
    await registry.remember(summary('http://host', USER_A, 'ann'))
    registry.list()[0]!.username = 'mallory'
    expect(registry.list()[0]!.username).toBe('ann')
  })

  it('setActive(null) signs nobody in at start; forget clears the active account only when it is that one', async () => {
    const registry = await AccountRegistry.open(dir)
    const ann = summary('http://host', USER_A, 'ann')
    const ben = summary('http://host', USER_B, 'ben')
    await registry.remember(ann)
    await registry.remember(ben)
    await registry.forget(ann.id)
    expect(registry.active()?.id).toBe(ben.id)
    expect(registry.list().map((a) => a.id)).toEqual([ben.id])
    await registry.setActive(null)
    expect(registry.active()).toBeUndefined()
    await registry.setActive(ben.id)
    await registry.forget(ben.id)
    expect(registry.active()).toBeUndefined()
    expect((await AccountRegistry.open(dir)).list()).toEqual([])
  })

  it('keeps the servers signed in to after their accounts are forgotten, latest first, with their names', async () => {
    const registry = await AccountRegistry.open(dir)
    const ann = { ...summary('http://front:7450', USER_A, 'ann'), serverName: 'Front office' }
    const ben = summary('http://branch:7450', USER_B, 'ben')
    await registry.remember(ann)
    await registry.remember(ben)
    await registry.remember({ ...summary('http://front:7450', USER_B, 'ben'), serverName: 'Front office' })
    await registry.forget(ann.id)
    await registry.forget(ben.id)
    const known = [
      { serverUrl: 'http://front:7450', name: 'Front office' },
      { serverUrl: 'http://branch:7450', name: null }
    ]
    expect(registry.knownServers()).toEqual(known)
    expect((await AccountRegistry.open(dir)).knownServers()).toEqual(known)
  })

  it('gives each account its own data directory', async () => {
    const registry = await AccountRegistry.open(dir)
    const a = accountId('http://host', USER_A)
    const b = accountId('http://host', USER_B)
    expect(registry.dataDir(a)).toBe(join(dir, 'accounts', a))
    expect(registry.dataDir(a)).not.toBe(registry.dataDir(b))
  })
})
