// Renders build/icon.svg, the one source image, into every icon the app and
// its installers use: icon.png (1024), icon.ico (Windows), icon.icns (macOS),
// icons/<n>x<n>.png (Linux), tray.png and tray-unread.png, overlay.png (Windows taskbar badge).
// `npm run icons`; the results are committed.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import png2icons from 'png2icons'
import sharp from 'sharp'

const dir = join(dirname(fileURLToPath(import.meta.url)), '..')
const svg = await readFile(join(dir, 'icon.svg'))
const png = (size) => sharp(svg, { density: Math.ceil((72 * size) / 1024) * 2 }).resize(size, size).png().toBuffer()

const big = await png(1024)
await writeFile(join(dir, 'icon.png'), big)
await writeFile(join(dir, 'icon.ico'), png2icons.createICO(big, png2icons.BICUBIC2, 0, false, true))
await writeFile(join(dir, 'icon.icns'), png2icons.createICNS(big, png2icons.BICUBIC2, 0))
await mkdir(join(dir, 'icons'), { recursive: true })
for (const size of [16, 32, 48, 64, 128, 256, 512]) await writeFile(join(dir, 'icons', `${size}x${size}.png`), await png(size))
await writeFile(join(dir, 'tray.png'), await png(32))
// The Windows overlay: a red dot drawn on the taskbar button while messages are unread.
const dot = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"><circle cx="16" cy="16" r="14" fill="#dc2626" stroke="#fff" stroke-width="3"/></svg>')
await writeFile(join(dir, 'overlay.png'), await sharp(dot).png().toBuffer())
// The tray icon while messages are unread: the same icon with the dot in its corner.
const smallDot = await sharp(dot).resize(14, 14).png().toBuffer()
await writeFile(join(dir, 'tray-unread.png'), await sharp(await png(32)).composite([{ input: smallDot, top: 0, left: 18 }]).png().toBuffer())
process.stdout.write('icons written to build/\n')
