// Preflight for the scripts that need a newer Node than the server alone
// (vitest, the Electron tooling, node:sqlite): on an older Node they fail
// late and confusingly (e.g. "Map.groupBy is not a function" from the test
// runner), so say once, before anything runs, what is needed and how to get it.
// Plain JavaScript with no imports beyond node:, so it runs on any Node.
import { readFileSync } from 'node:fs'

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))
const wanted = String(pkg.engines?.node ?? '').replace(/^>=\s*/, '')
const parts = (v) => v.split('.').map((n) => Number.parseInt(n, 10) || 0)
const [needMajor, needMinor = 0, needPatch = 0] = parts(wanted)
const [major, minor, patch] = parts(process.versions.node)
const recentEnough = major !== needMajor ? major > needMajor : minor !== needMinor ? minor > needMinor : patch >= needPatch

if (!recentEnough) {
  const script = process.env.npm_lifecycle_event?.replace(/^pre/, '') ?? 'this script'
  process.stderr.write(
    [
      `npm run ${script} needs Node.js ${wanted} or newer; this is Node.js ${process.versions.node}.`,
      'Get it with one of:',
      `  nvm install          (reads .nvmrc: Node ${needMajor})`,
      `  npm install --prefix .tools --no-save node@${needMajor} && export PATH="$PWD/.tools/node_modules/.bin:$PATH"`,
      '  or an installer from https://nodejs.org',
      'then run npm ci and this command again. (npm run server still works on this Node, without message search.)',
      ''
    ].join('\n')
  )
  process.exit(1)
}
