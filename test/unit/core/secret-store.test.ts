import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fileSecretStorage, FileSecretStore, MemorySecretStore } from '../../../src/main/core/secret-store'
import { refreshKey, tokenExpiry } from '../../../src/main/core/session'

let dir: string
let path: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'secrets-'))
  path = join(dir, 'secrets.json')
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('FileSecretStore', () => {
  it('describes itself as persistent but not OS-encrypted', () => {
    const store = new FileSecretStore(path)
    expect(store).toMatchObject({ secure: false, persistent: true, backend: 'file' })
    expect(new FileSecretStore(path, 'basic_text').backend).toBe('basic_text')
  })

  it('returns null for unknown keys and when there is no file', async () => {
    const store = new FileSecretStore(path)
    expect(await store.get('refresh:x')).toBeNull()
    await store.set('a', '1')
    expect(await store.get('b')).toBeNull()
  })

  it('keeps values in a JSON file that a new store reads back', async () => {
    await new FileSecretStore(path).set('refresh:a', 'token-a')
    await new FileSecretStore(path).set('refresh:b', 'token-b')
    const store = new FileSecretStore(path)
    expect(await store.get('refresh:a')).toBe('token-a')
    expect(await store.get('refresh:b')).toBe('token-b')
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ 'refresh:a': 'token-a', 'refresh:b': 'token-b' })
  })

  it.skipIf(process.platform === 'win32')('writes the file readable by its owner only (0600)', async () => {
    const store = new FileSecretStore(path)
    await store.set('k', 'v')
    await store.set('k', 'v2')
    expect((await stat(path)).mode & 0o777).toBe(0o600)
  })

  it('serializes concurrent updates so none overwrites another', async () => {
    const store = new FileSecretStore(path)
    const keys = Array.from({ length: 20 }, (_, i) => `k${i}`)
    await Promise.all([...keys.map((k) => store.set(k, `v-${k}`)), store.delete('k3'), store.set('k3', 'again')])
    const onDisk = JSON.parse(await readFile(path, 'utf8')) as Record<string, string>
    expect(Object.keys(onDisk).sort()).toEqual([...keys].sort())
    expect(onDisk['k3']).toBe('again')
    expect(onDisk['k19']).toBe('v-k19')
  })

  it('removes the file when the last value is deleted, and deleting from nothing creates nothing', async () => {
    const store = new FileSecretStore(path)
    await store.delete('never')
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' })
    await store.set('a', '1')
    await store.set('b', '2')
    await store.delete('a')
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ b: '2' })
    await store.delete('b')
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' })
    expect(await store.get('b')).toBeNull()
  })

  it('reads a file holding JSON that is not an object as empty', async () => {
    await writeFile(path, 'null')
    const store = new FileSecretStore(path)
    expect(await store.get('a')).toBeNull()
    await store.set('a', '1')
    expect(await store.get('a')).toBe('1')
  })

  it('one failed update does not block the ones after it', async () => {
    await writeFile(path, '{not json')
    const store = new FileSecretStore(path)
    const first = store.set('a', '1')
    await expect(first).rejects.toThrow(SyntaxError)
    await rm(path)
    await store.set('b', '2')
    expect(await store.get('b')).toBe('2')
  })
})

describe('MemorySecretStore', () => {
  it('keeps values for this run only', async () => {
    const store = new MemorySecretStore()
    expect(store).toMatchObject({ secure: false, persistent: false, backend: 'memory' })
    expect(await store.get('a')).toBeNull()
    await store.set('a', '1')
    expect(await store.get('a')).toBe('1')
    await store.delete('a')
    expect(await store.get('a')).toBeNull()
    expect(await new MemorySecretStore().get('a')).toBeNull()
  })
})

describe('fileSecretStorage', () => {
  it('hands out one file store and reports it as persistent plaintext', async () => {
    const storage = fileSecretStorage(path)
    expect(storage.store()).toBe(storage.store())
    const status = { secure: false, backend: 'file', allowPlaintext: true, persistent: true }
    expect(storage.status()).toEqual(status)
    expect(await storage.allowPlaintext(false)).toEqual(status)
    await storage.store().set('k', 'v')
    expect(await new FileSecretStore(path).get('k')).toBe('v')
  })
})

// The tokens kept here: session.ts reads a JWT's expiry without verifying it.
describe('tokenExpiry', () => {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')
  const jwt = (claims: unknown): string => `${part({ alg: 'HS256', typ: 'JWT' })}.${typeof claims === 'string' ? claims : part(claims)}.signature`

  it('reads exp (seconds) as milliseconds', () => {
    expect(tokenExpiry(jwt({ sub: 'u', exp: 1_900_000_000 }))).toBe(1_900_000_000_000)
    // base64url characters (- and _) in the payload decode too.
    expect(tokenExpiry(jwt({ exp: 1, name: '\u00ff\u00fe>>>???' }))).toBe(1000)
  })

  it('is null for anything without a numeric exp, never throwing', () => {
    const tokens = [
      '',
      'no-dots',
      'header.',
      '..',
      jwt({ sub: 'u' }),
      jwt({ exp: '1900000000' }),
      jwt(null),
      jwt(5),
      jwt('!!!not base64 json!!!'),
      `${part({})}.${Buffer.from('{"exp":').toString('base64url')}.sig`
    ]
    for (const token of tokens) expect(tokenExpiry(token), token).toBeNull()
  })

  it('refresh tokens are kept per account', () => {
    expect(refreshKey('abc')).toBe('refresh:abc')
  })
})
