// `npm run package`: electron-builder for this system's targets, with
// electron-builder.yml as the config and the update feed taken from the
// environment at build time. Run after `npm run build` (out/ must exist).
//   MESSENGER_UPDATE_URL=https://host/updates/   the generic feed the app checks (optional)
//   --targets=dir,tar.gz   only these targets     --electron-dist=DIR   an unpacked Electron to use
//   --output=DIR           where the installers go (default dist/)
import { chmodSync, existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Arch, build, Platform } from 'electron-builder'
import { parse } from 'yaml'
import sevenZip from '7zip-bin'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const args = Object.fromEntries(
  process.argv
    .slice(2)
    .map((a) => /^--([\w-]+)=(.*)$/.exec(a))
    .filter(Boolean)
    .map((m) => [m[1], m[2]])
)

for (const built of ['out/main/index.js', 'out/preload/index.js', 'out/renderer/index.html', 'out/server/cli.mjs']) {
  if (!existsSync(join(root, built))) {
    process.stderr.write(`package: ${built} is missing: run \`npm run build\` first\n`)
    process.exit(1)
  }
}

const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8'))
const feed = process.env.MESSENGER_UPDATE_URL
if (feed) {
  if (!/^https?:\/\//.test(feed)) {
    process.stderr.write('package: MESSENGER_UPDATE_URL must be an http:// or https:// address\n')
    process.exit(1)
  }
  config.publish = [{ provider: 'generic', url: feed }]
}
if (args['electron-dist']) config.electronDist = resolve(args['electron-dist'])
if (args.output) config.directories = { ...config.directories, output: resolve(args.output) }

// The 7-Zip of the npm package (zip, tar.gz, nsis): electron-builder would otherwise download one.
if (!process.env.ELECTRON_BUILDER_7ZIP_PATH) {
  if (process.platform !== 'win32') chmodSync(sevenZip.path7za, 0o755)
  process.env.ELECTRON_BUILDER_7ZIP_PATH = sevenZip.path7za
}

const platform = Platform.current()
const targets = args.targets ? platform.createTarget(args.targets.split(','), Arch.x64) : platform.createTarget()
process.stdout.write(`package: ${platform.name}, ${feed ? `update feed ${feed}` : 'no update feed (updates off)'}\n`)
await build({ projectDir: root, targets, config, publish: 'never' })
