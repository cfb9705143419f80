// CPU and memory of whole process trees (a Chromium with its renderer, GPU
// and utility processes; a Node child), from Linux's /proc: each tree's CPU
// summed over the process and all its descendants, and their proportional
// set size (shared pages split among the processes that share them, so a
// tree's sum is not inflated by the libraries every Chromium process maps).
import { readdirSync, readFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'

export interface TreeSample {
  /** utime + stime + cutime + cstime of every process in the tree, ms. */
  cpuMs: number
  pssMiB: number
  processes: number
}

interface Stat {
  ppid: number
  ticks: number
}

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100

function readStat(pid: number): Stat | null {
  let text: string
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return null // gone between the listing and the read
  }
  // The command name may hold spaces and parentheses: the fields start after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
  // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15, cutime 16, cstime 17. A child that exited
  // and was reaped (Chromium ends utility processes as it goes) has its time in its parent's cutime + cstime.
  return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]) }
}

/** Proportional set size, KiB (0 if the process is gone or the kernel has no smaps_rollup). */
function pssKiB(pid: number): number {
  try {
    return Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0)
  } catch {
    return 0
  }
}

/** One pass over /proc: a sample of each root's tree (the root and all its descendants); PSS only with `memory` (NaN otherwise). */
export function sampleTrees(roots: number[], memory = false): Map<number, TreeSample> {
  const stats = new Map<number, Stat>()
  const children = new Map<number, number[]>()
  for (const name of readdirSync('/proc')) {
    const pid = Number(name)
    if (!Number.isInteger(pid)) continue
    const s = readStat(pid)
    if (!s) continue
    stats.set(pid, s)
    const siblings = children.get(s.ppid)
    if (siblings) siblings.push(pid)
    else children.set(s.ppid, [pid])
  }
  const out = new Map<number, TreeSample>()
  for (const root of roots) {
    let ticks = 0
    let pss = 0
    let processes = 0
    const stack = [root]
    while (stack.length > 0) {
      const pid = stack.pop()!
      const s = stats.get(pid)
      if (!s) continue
      ticks += s.ticks
      if (memory) pss += pssKiB(pid)
      processes++
      stack.push(...(children.get(pid) ?? []))
    }
    out.set(root, { cpuMs: (ticks * 1000) / TICKS_PER_SECOND, pssMiB: memory ? pss / 1024 : NaN, processes })
  }
  return out
}
