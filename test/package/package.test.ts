// The offline packaging check: electron-builder builds the Linux `dir` and
// tar.gz targets against a stand-in Electron (the real binary cannot be
// fetched here), with an update feed set at build time. Then we open the
// produced app.asar and check it holds what runs and nothing else, at the
// size the README states, and that the fuses were flipped in the binary.
import { execFile } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { extractFile, listPackage } from '@electron/asar'
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { makeFakeElectronDist } from './fake-electron-dist'

const run = promisify(execFile)
const root = join(__dirname, '../..')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version as string
const FEED = 'http://192.168.1.20:7450/updates/'

let work: string
let unpacked: string
let asarPath: string
let files: string[]

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'package-check-'))
  const dist = await makeFakeElectronDist(join(work, 'electron-dist'), electronVersion)
  const out = join(work, 'dist')
  await run(process.execPath, [join(root, 'build/scripts/package.mjs'), '--targets=dir,tar.gz', `--electron-dist=${dist}`, `--output=${out}`], {
    cwd: root,
    env: { ...process.env, MESSENGER_UPDATE_URL: FEED },
    maxBuffer: 64 * 1024 * 1024
  })
  unpacked = join(out, 'linux-unpacked')
  asarPath = join(unpacked, 'resources', 'app.asar')
  files = listPackage(asarPath, { isPack: false }).map((f) => f.replaceAll('\\', '/'))
})

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true })
})

describe('the packaged Linux app', () => {
  test('app.asar holds the built main, preload, renderer and server, and the package.json that points at main', () => {
    for (const f of ['/out/main/index.js', '/out/preload/index.js', '/out/renderer/index.html', '/out/server/cli.mjs', '/package.json']) expect(files, f).toContain(f)
    expect(files.some((f) => /^\/out\/renderer\/assets\/index-[\w-]+\.js$/.test(f))).toBe(true)
    const manifest = JSON.parse(extractFile(asarPath, 'package.json').toString())
    expect(manifest.main).toBe('./out/main/index.js')
    expect(manifest.version).toBe(pkg.version)
  })

  test('and the runtime dependencies of main and the embedded server', () => {
    for (const dep of ['socket.io-client', 'zod', 'electron-updater', 'express', 'socket.io', 'pino', 'jose', 'lowdb', 'ws'])
      expect(files, dep).toContain(`/node_modules/${dep}/package.json`)
  })

  test('no sources, tests, source maps, type declarations or development packages', () => {
    const bad = files.filter(
      (f) =>
        /\.(map|ts|tsx|mts|cts)$/.test(f) ||
        /^\/(src|server|test|docs|build|scripts|\.github|\.ci)\//.test(f) ||
        /\/(test|tests|__tests__)\//.test(f) ||
        /^\/(tsconfig|vitest|playwright|electron\.vite|electron-builder|eslint)[^/]*$/.test(f)
    )
    expect(bad).toEqual([])
    // devDependencies (the window's packages among them) that no runtime package needs as well.
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> }
    const atRuntime = new Set(
      Object.entries(lock.packages)
        .filter(([path, p]) => path && !p.dev)
        .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length))
    )
    const devOnly = Object.keys(pkg.devDependencies as Record<string, string>).filter((name) => !atRuntime.has(name))
    expect(devOnly).toContain('react')
    for (const dev of [...devOnly, 'scheduler', '@types/node'])
      expect(files.some((f) => f.startsWith(`/node_modules/${dev}/`)), dev).toBe(false)
  })

  test('its size is within what the README says', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8')
    const stated = /`app\.asar` is about (\d+) MB and must stay under (\d+) MB/.exec(readme)
    expect(stated, 'README states the app.asar size').toBeTruthy()
    const mb = statSync(asarPath).size / 1024 / 1024
    expect(mb).toBeLessThan(Number(stated![2]))
    expect(Math.abs(mb - Number(stated![1]))).toBeLessThanOrEqual(Math.max(2, Number(stated![1]) * 0.3))
  })

  test('the executable is renamed and its fuses are flipped', async () => {
    const exe = join(unpacked, 'lan-messenger')
    expect(existsSync(exe)).toBe(true)
    expect(existsSync(join(unpacked, 'electron'))).toBe(false)
    const wire = await getCurrentFuseWire(exe)
    const on = (fuse: FuseV1Options) => String.fromCharCode(wire[fuse] as number)
    expect(on(FuseV1Options.RunAsNode)).toBe('0')
    expect(on(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe('0')
    expect(on(FuseV1Options.EnableNodeCliInspectArguments)).toBe('0')
    expect(on(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe('1')
    expect(on(FuseV1Options.OnlyLoadAppFromAsar)).toBe('1')
    expect(on(FuseV1Options.EnableCookieEncryption)).toBe('1')
  })

  test('the update feed given at build time is written for electron-updater', () => {
    const feed = parseYaml(readFileSync(join(unpacked, 'resources', 'app-update.yml'), 'utf8'))
    expect(feed).toMatchObject({ provider: 'generic', url: FEED })
  })

  test('the tar.gz holds the same app', async () => {
    const tarball = join(work, 'dist', `${pkg.name}-${pkg.version}.tar.gz`)
    const { stdout } = await run('tar', ['-tzf', tarball], { maxBuffer: 16 * 1024 * 1024 })
    const entries = stdout.split('\n')
    expect(entries.some((e) => e.endsWith('/resources/app.asar'))).toBe(true)
    expect(entries.some((e) => e.endsWith('/lan-messenger'))).toBe(true)
  })
})
