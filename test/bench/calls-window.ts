// One measuring window of bench:calls: the CPU of each person's Chromium tree
// and Node host, the server's and the whole machine's over `seconds`, and
// what each connection carried meanwhile (getStats read just before and just
// after, outside the CPU window, so reading it is not billed).
import { loadavg } from 'node:os'
import { sampleTrees } from './calls-cpu'
import type { ConnectionSample } from './calls-page'
import { connectionSamples, type Person } from './calls-people'
import { machineCores, machineCpuTimes, sleep } from './util'

/** What one connection carried over the window, seen from its receiving page. */
export interface LinkFigures {
  /** Camera frames decoded per second (the other person's picture). */
  inFps: number
  /** Camera frames encoded per second for this connection (each connection has its own encoder). */
  outFps: number
  inHeight: number
  outHeight: number
  /** Why the sender lowered its resolution or rate: none, cpu, bandwidth. */
  limitation: string
  /** Audio samples concealed (made up for missing or late packets), % of those played. */
  concealedPct: number
  freezes: number
  decodeMsPerFrame: number
  encodeMsPerFrame: number
  outKbps: number
  rttMs: number | null
}

export interface SideFigures {
  name: string
  /** Cores used (CPU seconds per second) by this person's Chromium and all its processes. */
  chromiumCores: number
  /** Cores used by the Node process holding their client core and host. */
  nodeCores: number
  /** Proportional set size of the whole Chromium tree at the window's end. */
  chromiumPssMiB: number
  links: LinkFigures[]
}

export interface WindowFigures {
  seconds: number
  sides: SideFigures[]
  serverCores: number
  /** Every busy core of the machine, everyone's work included. */
  machineCores: number
  /** The machine's busy cores less this benchmark's whole process tree (it, and every server, host and Chromium it started): other people's work. */
  othersCores: number
  /** 1-minute load average at the window's end. */
  load1: number
}

function link(a: ConnectionSample, b: ConnectionSample): LinkFigures {
  const s = (b.at - a.at) / 1000
  const inFrames = (b.inVideo?.framesDecoded ?? 0) - (a.inVideo?.framesDecoded ?? 0)
  const outFrames = (b.outVideo?.framesEncoded ?? 0) - (a.outVideo?.framesEncoded ?? 0)
  const samples = (b.inAudio?.totalSamplesReceived ?? 0) - (a.inAudio?.totalSamplesReceived ?? 0)
  const concealed = (b.inAudio?.concealedSamples ?? 0) - (a.inAudio?.concealedSamples ?? 0)
  return {
    inFps: inFrames / s,
    outFps: outFrames / s,
    inHeight: b.inVideo?.frameHeight ?? 0,
    outHeight: b.outVideo?.frameHeight ?? 0,
    limitation: b.outVideo?.qualityLimitationReason ?? 'none',
    concealedPct: samples > 0 ? (concealed / samples) * 100 : NaN,
    freezes: (b.inVideo?.freezeCount ?? 0) - (a.inVideo?.freezeCount ?? 0),
    decodeMsPerFrame: inFrames > 0 ? (((b.inVideo?.totalDecodeTime ?? 0) - (a.inVideo?.totalDecodeTime ?? 0)) * 1000) / inFrames : NaN,
    encodeMsPerFrame: outFrames > 0 ? (((b.outVideo?.totalEncodeTime ?? 0) - (a.outVideo?.totalEncodeTime ?? 0)) * 1000) / outFrames : NaN,
    outKbps: (((b.outVideo?.bytesSent ?? 0) - (a.outVideo?.bytesSent ?? 0)) * 8) / 1000 / s,
    rttMs: b.rttMs
  }
}

/** Measures `people` for `seconds`; the server's and the machine's CPU alongside. */
export async function measureWindow(people: Person[], serverPid: number, seconds: number): Promise<WindowFigures> {
  const before = await Promise.all(people.map(connectionSamples))
  // The benchmark's own process is the parent of everything it started (Chromiums, hosts, server).
  const roots = [process.pid, serverPid, ...people.flatMap((p) => [p.browserPid, p.hostPid])]
  const cpu0 = sampleTrees(roots)
  const machine0 = machineCpuTimes()
  const t0 = performance.now()
  await sleep(seconds * 1000)
  const cpu1 = sampleTrees(roots)
  const machine1 = machineCpuTimes()
  const wall = (performance.now() - t0) / 1000
  const memory = sampleTrees(people.map((p) => p.browserPid), true)
  const after = await Promise.all(people.map(connectionSamples))
  const cores = (pid: number): number => ((cpu1.get(pid)?.cpuMs ?? NaN) - (cpu0.get(pid)?.cpuMs ?? NaN)) / 1000 / wall
  const machine = machineCores(machine0, machine1)
  return {
    seconds: wall,
    serverCores: cores(serverPid),
    machineCores: machine,
    othersCores: Math.max(0, machine - cores(process.pid)),
    load1: loadavg()[0]!,
    sides: people.map((p, i) => ({
      name: p.name,
      chromiumCores: cores(p.browserPid),
      nodeCores: cores(p.hostPid),
      chromiumPssMiB: memory.get(p.browserPid)?.pssMiB ?? NaN,
      links: after[i]!.flatMap((b) => {
        const a = before[i]!.find((x) => x.id === b.id)
        return a ? [link(a, b)] : []
      })
    }))
  }
}
