// The preflight `npm test` (and the other toolchain scripts) run first: on a
// Node older than package.json's engines it stops everything with one message
// naming both versions and how to get the right one. Tried against a copy of
// the script under a package.json asking for a Node that does not exist yet.
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const script = resolve(import.meta.dirname, '../../../build/scripts/check-node.mjs')
const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

function runWithEngines(engines: string): ReturnType<typeof spawnSync> {
  const dir = mkdtempSync(join(tmpdir(), 'check-node-'))
  dirs.push(dir)
  mkdirSync(join(dir, 'build/scripts'), { recursive: true })
  copyFileSync(script, join(dir, 'build/scripts/check-node.mjs'))
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ engines: { node: engines } }))
  return spawnSync(process.execPath, [join(dir, 'build/scripts/check-node.mjs')], {
    encoding: 'utf8',
    env: { ...process.env, npm_lifecycle_event: 'pretest' }
  })
}

describe('the Node preflight', () => {
  it('stops with the version needed, the one found and how to get it', () => {
    const run = runWithEngines('>=99.1.0')
    expect(run.status).toBe(1)
    expect(run.stderr).toContain('npm run test needs Node.js 99.1.0 or newer')
    expect(run.stderr).toContain(`this is Node.js ${process.versions.node}`)
    expect(run.stderr).toContain('nvm install')
    expect(run.stderr).toContain('npm install --prefix .tools --no-save node@99')
  })

  it('lets a recent enough Node through silently', () => {
    const run = runWithEngines(`>=${process.versions.node}`)
    expect(run.status).toBe(0)
    expect(run.stderr).toBe('')
  })

  it('reads the project engines the README and .nvmrc agree with', () => {
    const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../package.json'), 'utf8')) as { engines: { node: string } }
    const nvmrc = readFileSync(resolve(import.meta.dirname, '../../../.nvmrc'), 'utf8').trim()
    expect(pkg.engines.node.replace('>=', '').split('.')[0]).toBe(nvmrc)
    expect(runWithEngines(pkg.engines.node).status).toBe(0)
  })
})
