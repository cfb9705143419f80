// Renders bench:calls as the "Calls" section of docs/benchmarks.md.
import type { CallsConfig } from './calls-bench'
import type { LinkFigures, SideFigures, WindowFigures } from './calls-window'
import { describeMachine, fmt, median, type Machine } from './util'

export const CALLS_HEADING = '## Calls (npm run bench:calls)'

/** A group call is usable while the median stream shows the others at least this well (Chromium's fake camera gives 20 fps; the window asks for 360p). */
export const USABLE = { fps: 15, height: 180, concealedPct: 5 }
/** Busy cores from which a window counts as saturated (the machine has 2). */
const SATURATED = 1.95

export interface FirstSample {
  media: 'audio' | 'video'
  caller: string
  /** From the Accept click on the answering side; NaN when not seen. */
  audioPacketMs: number
  audioDecodedMs: number
  videoPacketMs: number
  videoDecodedMs: number
  /** The same click to the first decoded audio / video on the calling side. */
  callerAudioMs: number
  callerVideoMs: number
  /** Mean time from one poll's start to the next's (getStats + the pause): the resolution of these times. */
  pollPeriodMs: number
  timedOut: boolean
}

export interface GroupRow {
  size: number
  /** From the first click on Start to everyone connected to everyone. */
  joinSeconds: number
  window: WindowFigures
}

export interface CallsResult {
  config: CallsConfig
  /** The commit measured. */
  revision: string
  chromium: string
  first: FirstSample[]
  baseline: WindowFigures
  oneToOne: WindowFigures
  groups: GroupRow[]
  notices: string[]
  serverErrors: string[]
  loadBefore: number[]
  loadAfter: number[]
  totalSeconds: number
}

const row = (cells: string[]): string => `| ${cells.join(' | ')} |`
const ms = (v: number): string => (Number.isFinite(v) ? `${fmt(v)} ms` : 'n/a')
/** Cores to 2 decimals; a difference within rounding of zero reads 0.00, not -0.00. */
const cores = (v: number): string => fmt(Math.abs(v) < 0.005 ? 0 : v, 2)
const loads = (l: number[]): string => l.map((x) => fmt(x, 2)).join(' / ')
const finite = (xs: number[]): number[] => xs.filter(Number.isFinite)
const medianMax = (xs: number[]): string => {
  const f = finite(xs)
  return f.length === 0 ? 'n/a' : `${ms(median(f))} / ${ms(Math.max(...f))}`
}
const sum = (xs: number[]): number => xs.reduce((s, x) => s + x, 0)
const links = (w: WindowFigures): LinkFigures[] => w.sides.flatMap((s) => s.links)

function firstTable(r: CallsResult): string[] {
  const kinds = (['audio', 'video'] as const).map((media) => ({ media, s: r.first.filter((x) => x.media === media) }))
  return [
    row(['Call', 'Calls', 'First audio packet', 'First audio decoded', 'First video packet', 'First video frame decoded', 'Caller: first audio / video decoded', 'Poll period']),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
    ...kinds.map(({ media, s }) =>
      row([
        media === 'audio' ? 'voice' : 'video',
        `${s.length}${s.some((x) => x.timedOut) ? ` (${s.filter((x) => x.timedOut).length} timed out)` : ''}`,
        medianMax(s.map((x) => x.audioPacketMs)),
        `**${medianMax(s.map((x) => x.audioDecodedMs))}**`,
        media === 'video' ? medianMax(s.map((x) => x.videoPacketMs)) : '',
        media === 'video' ? `**${medianMax(s.map((x) => x.videoDecodedMs))}**` : '',
        `${ms(median(finite(s.map((x) => x.callerAudioMs))))}${media === 'video' ? ` / ${ms(median(finite(s.map((x) => x.callerVideoMs))))}` : ''}`,
        ms(median(finite(s.map((x) => x.pollPeriodMs))))
      ])
    )
  ]
}

function mediaCells(ls: LinkFigures[]): string[] {
  if (ls.length === 0) return ['', '', '', '', '', '']
  const limited = ls.filter((l) => l.limitation !== 'none').map((l) => l.limitation)
  return [
    `${fmt(median(ls.map((l) => l.inFps)), 1)} / ${fmt(median(ls.map((l) => l.outFps)), 1)}`,
    `${fmt(median(ls.map((l) => l.inHeight)))}p`,
    `${fmt(median(ls.map((l) => l.outKbps)))} kbit/s`,
    `${fmt(median(finite(ls.map((l) => l.concealedPct))), 1)} %`,
    `${fmt(median(finite(ls.map((l) => l.decodeMsPerFrame))), 1)} / ${fmt(median(finite(ls.map((l) => l.encodeMsPerFrame))), 1)} ms`,
    limited.length === 0 ? 'none' : `${limited.length} of ${ls.length} (${[...new Set(limited)].join(', ')})`
  ]
}

function sideRow(what: string, s: SideFigures, w: WindowFigures): string {
  return row([what, s.name, cores(s.chromiumCores), cores(s.nodeCores), `${fmt(s.chromiumPssMiB)} MiB`, cores(w.serverCores), cores(w.machineCores), cores(w.othersCores), ...mediaCells(s.links)])
}

/** Usable: the median link meets USABLE; the reason when not. */
export function judge(w: WindowFigures): string | null {
  const ls = links(w)
  if (ls.length === 0) return 'no connection measured'
  const fps = median(ls.map((l) => l.inFps))
  const height = median(ls.map((l) => l.inHeight))
  const concealed = median(finite(ls.map((l) => l.concealedPct)))
  const why = [
    fps < USABLE.fps ? `pictures arrive at ${fmt(fps, 1)} fps` : '',
    height < USABLE.height ? `at ${fmt(height)}p` : '',
    concealed >= USABLE.concealedPct ? `${fmt(concealed, 1)} % of the sound is concealed` : ''
  ].filter(Boolean)
  return why.length === 0 ? null : why.join(', ')
}

function groupRow(g: GroupRow): string {
  const w = g.window
  const ls = links(w)
  const chrome = w.sides.map((s) => s.chromiumCores)
  const node = w.sides.map((s) => s.nodeCores)
  const total = sum(chrome) + sum(node) + w.serverCores
  const verdict = judge(w)
  return row([
    String(g.size),
    `${fmt(g.joinSeconds, 1)} s`,
    `${cores(sum(chrome) / chrome.length)} (max ${cores(Math.max(...chrome))})`,
    cores(sum(node) / node.length),
    cores(w.serverCores),
    `**${cores(total)}**`,
    cores(w.machineCores),
    cores(w.othersCores),
    `${fmt(median(ls.map((l) => l.inFps)), 1)} (min ${fmt(Math.min(...ls.map((l) => l.inFps)), 1)})`,
    fmt(median(ls.map((l) => l.outFps)), 1),
    `${fmt(median(ls.map((l) => l.inHeight)))}p (min ${fmt(Math.min(...ls.map((l) => l.inHeight)))}p)`,
    `${fmt(median(ls.map((l) => l.outKbps)))} kbit/s`,
    `${fmt(median(finite(ls.map((l) => l.concealedPct))), 1)} % (max ${fmt(Math.max(...finite(ls.map((l) => l.concealedPct))), 1)} %)`,
    fmt(sum(ls.map((l) => l.freezes))),
    `${ls.filter((l) => l.limitation === 'cpu').length} of ${ls.length}`,
    verdict === null ? 'yes' : `**no**: ${verdict}`
  ])
}

export function renderCalls(r: CallsResult, m: Machine): string {
  const c = r.config
  const base = r.baseline
  const call = r.oneToOne
  const usable = r.groups.filter((g) => judge(g.window) === null).map((g) => g.size)
  const firstUnusable = r.groups.find((g) => judge(g.window) !== null)
  const audio = r.first.filter((x) => x.media === 'audio')
  const video = r.first.filter((x) => x.media === 'video')
  const added = (i: number): string =>
    `${cores(call.sides[i]!.chromiumCores - base.sides[i]!.chromiumCores)} cores (Chromium) + ${cores(call.sides[i]!.nodeCores - base.sides[i]!.nodeCores)} (Node)`
  const lines = [
    CALLS_HEADING,
    '',
    `\`npm run bench:calls\` (after \`npm run build:app\`; ${fmt(r.totalSeconds / 60, 0)} min here). Counts and windows are environment variables (see the top of test/bench/calls-bench.ts).`,
    '',
    `Measured ${describeMachine(m)}, at commit ${r.revision}; Chromium ${r.chromium} (Debian's, headless, \`--disable-gpu\`: software video encoding, decoding and compositing). ` +
      `Load average (1 / 5 / 15 min) ${loads(r.loadBefore)} before, ${loads(r.loadAfter)} after (which counts this run's own processes). Everything below shares the machine's 2 cores: ` +
      `the browsers, the Node hosts, the server, and whatever else ran then: *Machine* is every busy core (\`/proc/stat\`), ` +
      `*Others* the same less this benchmark's whole process tree (the work of other people on the machine during the window).`,
    '',
    `**Setup.** A messenger server in a child process on 127.0.0.1 (no mDNS). ${c.groupMax} people, each with a child process holding their ` +
      `client core and Node host (the browser host that serves the built window), and a Chromium of their own (Playwright's \`launchServer\`, ` +
      `so its process tree can be read alone) with \`--use-fake-device-for-media-stream --use-fake-ui-for-media-stream\`: a synthetic camera ` +
      `(the window asks for 640×360 at 24 fps; the fake camera gives 20 fps) and a beeping microphone. ` +
      `Its picture (a moving pattern on a plain background) compresses far better than a real camera's, so the bit rates here are low and ` +
      `the encoders' work lighter than a real camera's would be. Everything is done in the window as a person does it: the conversation's ` +
      `call button, Accept on the ring card, Leave. Media goes page to page over loopback (host candidates, DTLS-SRTP, VP8 and Opus, Chromium's ` +
      `defaults); the server relays only the signalling. CPU is utime + stime from \`/proc/<pid>/stat\` of each Chromium's whole process tree ` +
      `(browser, renderer, GPU and utility processes) and of each Node process, over the window, in cores (CPU seconds per second). ` +
      `Media figures are read from \`RTCPeerConnection.getStats()\` in each page (a page script keeps every connection the engine makes) just ` +
      `before and after the window, outside it.`,
    '',
    `### From Accept to the first frame`,
    '',
    `${c.first} voice calls, then ${c.first} video calls, between two people who take turns calling; the other clicks Accept (with video ` +
      `for a video call) on the ring card. Times run from the click's \`event.timeStamp\` in the answering page to the first \`getStats()\` ` +
      `poll (every ${c.pollMs} ms plus the time getStats takes: the *poll period*, the resolution of these figures) that shows, on the answering ` +
      `side, an inbound audio packet; audio decoded (\`totalSamplesReceived − concealedSamples\` > 0); a camera packet; a camera frame decoded ` +
      `(\`framesDecoded\` > 0). In between: the window gets the microphone (and camera), joins the call through the core and the server, the two ` +
      `windows exchange offer, answer and candidates, then ICE and DTLS. *Caller* is the same click to the first audio and video decoded on the ` +
      `calling side (the pages' clocks put on one through \`performance.timeOrigin\`). Median / max.`,
    '',
    ...firstTable(r),
    '',
    `- A voice call is heard ${ms(median(finite(audio.map((x) => x.audioDecodedMs))))} after Accept (median; max ` +
      `${ms(Math.max(...finite(audio.map((x) => x.audioDecodedMs))))}); in a video call the first picture is decoded ` +
      `${ms(median(finite(video.map((x) => x.videoDecodedMs))))} after Accept (max ${ms(Math.max(...finite(video.map((x) => x.videoDecodedMs))))}).`,
    '',
    `### A 1:1 video call: CPU per side`,
    '',
    `The same two windows, each with the direct chat open: first ${c.window} s with no call (the baseline), then a video call, ` +
      `measured for ${c.window} s after it had run ${c.settle} s. *Received / sent fps*: camera frames decoded from the other side / encoded ` +
      `for them, per second. *Video sent*: the camera's bit rate on one connection. *Concealed*: audio samples the receiver had to make up. *Decode / encode*: time per frame (\`totalDecodeTime\`, ` +
      `\`totalEncodeTime\`). *Limited*: connections whose sender lowered resolution or rate (\`qualityLimitationReason\`).`,
    '',
    row(['', 'Side', 'Chromium (cores)', 'Node host (cores)', 'Chromium memory (PSS)', 'Server (cores)', 'Machine (cores)', 'Others (cores)', 'Received / sent fps', 'Received height', 'Video sent', 'Concealed', 'Decode / encode', 'Limited']),
    row(['---', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---']),
    ...base.sides.map((s) => sideRow('no call', s, base)),
    ...call.sides.map((s) => sideRow('video call', s, call)),
    '',
    `- What a 1:1 video call adds over the open windows: ${call.sides[0]!.name} ${added(0)}, ${call.sides[1]!.name} ${added(1)}; ` +
      `both sides together ${cores(sum(call.sides.map((s) => s.chromiumCores + s.nodeCores)) - sum(base.sides.map((s) => s.chromiumCores + s.nodeCores)))} cores. ` +
      `Nearly all of it is Chromium's (capturing, encoding, decoding and drawing the video); the Node host only carries the signalling, which is quiet once the call runs.`,
    `- Other people's work took ${cores(base.othersCores)} cores during the baseline and ${cores(call.othersCores)} during the call: ` +
      (call.machineCores < SATURATED
        ? `the machine was not saturated (*Machine* ${cores(call.machineCores)} of 2), so the call had what it asked for.`
        : `the machine was saturated (*Machine* ${cores(call.machineCores)} of 2), so these are what the call got, not what it would take.`),
    '',
    `### Group video calls from 2 to ${c.groupMax} people`,
    '',
    `A group per size (its members and nobody else); the first person starts a video call and the others accept with video from the ring card, ` +
      `one after another; measured for ${c.groupWindow} s once everyone had been connected to everyone for ${c.settle} s, then everyone leaves. ` +
      `It is a mesh: each person sends their camera to each other person over a connection of its own (one VP8 encoder per connection) and ` +
      `decodes everyone else's, so n people make n × (n − 1) encoders and as many decoders, here all on 2 cores. Per-person figures are means over ` +
      `the people in the call; media figures are medians over every received stream (n × (n − 1) of them). *Total* is all the call's ` +
      `Chromiums, Node hosts and the server. Usable while the median stream arrives at ≥ ${USABLE.fps} fps, ≥ ${USABLE.height}p, and with ` +
      `< ${USABLE.concealedPct} % of its sound concealed.`,
    '',
    row(['People', 'All connected after', 'Chromium per person (cores)', 'Node host per person', 'Server', 'Total (cores)', 'Machine (cores)', 'Others (cores)', 'Received fps, median', 'Sent fps', 'Received height', 'Video sent per stream', 'Concealed sound', 'Freezes', 'CPU-limited senders', 'Usable']),
    row(['---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---']),
    ...r.groups.map(groupRow),
    '',
    `- Usable here: ${usable.length === 0 ? 'none of the sizes measured' : `${usable.join(', ')} people`}` +
      (firstUnusable ? `; at ${firstUnusable.size} people ${judge(firstUnusable.window)}.` : `; every size up to ${c.groupMax} met the bar.`) +
      ` These are all the call's people on one 2-core machine: once *Machine* reaches 2.00 the machine is saturated, *Total* can grow no ` +
      `more, and what each Chromium would need shows as frames it no longer captures, encodes or decodes (sent and received fps fall). On a ` +
      `LAN each person has a computer of their own, whose load is one Chromium's, which grows with the streams it encodes and decodes ` +
      `(n − 1 of each): the 1:1 call above is one of each.`
  ]
  if (r.notices.length > 0) lines.push(`- Notices shown after calls: ${r.notices.join('; ')}.`)
  if (r.serverErrors.length > 0) lines.push(`- The server logged ${r.serverErrors.length} warnings or errors (first: \`${r.serverErrors[0]!.slice(0, 200)}\`).`)
  return lines.join('\n') + '\n'
}
