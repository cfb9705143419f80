import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { SERVER_V8_FLAGS } from '../../../src/node/server-v8-flags'

// The flags have to be written where a shell or npm starts the server; this keeps those copies in step with the list.
describe('the server V8 flags', () => {
  it('are on the bin shebang (which npm shims read on Windows) and in npm run server', () => {
    const shebang = readFileSync('bin/messenger-server.js', 'utf8').split('\n')[0]
    expect(shebang).toBe(`#!/usr/bin/env -S node ${SERVER_V8_FLAGS.join(' ')}`)
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts
    expect(scripts.server).toBe(`tsx ${SERVER_V8_FLAGS.join(' ')} server/cli.ts`)
  })
})
