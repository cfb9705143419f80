// The desktop app's log files, in <userData>/logs: main.log (the app) and
// server.log (the server it hosts). Rotated by size with rotating-file-stream,
// the way logrotate does it: main.log, main.log.1.gz (newest) … main.log.5.gz.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Writable } from 'node:stream'
import { createStream, type RotatingFileStream } from 'rotating-file-stream'

export interface LogRotation {
  /** Size at which the file is rotated: rotating-file-stream's syntax ('10M', '300B'). */
  size: string
  /** Rotated files kept (compressed); older ones are deleted. */
  keep: number
}

/** At most 10 MB of plain text plus 5 gzipped files per log: a few tens of MB on disk at worst, weeks of a busy office. */
export const LOG_ROTATION: LogRotation = { size: '10M', keep: 5 }

export const logsDirOf = (userDataDir: string): string => join(userDataDir, 'logs')

export interface LogFile {
  readonly path: string
  /** Appends one line; dropped after close or after the file failed (logging must never stop the app). */
  write(line: string): void
  /** Writes what is pending and closes. */
  close(): Promise<void>
}

export function openLogFile(dir: string, name: string, rotation: LogRotation = LOG_ROTATION, onError: (err: Error) => void = toStderr): LogFile {
  let stream: RotatingFileStream | null
  try {
    mkdirSync(dir, { recursive: true })
    stream = createStream(name, { path: dir, size: rotation.size, rotate: rotation.keep, compress: 'gzip' })
  } catch (err) {
    // A folder that cannot be made (read-only profile): no file, and the app goes on.
    onError(err as Error)
    stream = null
  }
  // After an error the library closes the stream: stop writing, and say why.
  // (as a Writable: the library's typed event map misses 'error' with this @types/node.)
  ;(stream as Writable | null)?.on('error', (err: Error) => {
    stream = null
    onError(err)
  })
  stream?.on('warning', (err: Error) => onError(err))
  return {
    path: join(dir, name),
    write(line) {
      stream?.write(`${line}\n`)
    },
    close() {
      const open = stream
      stream = null
      return open ? new Promise((resolve) => open.end(resolve)) : Promise.resolve()
    }
  }
}

function toStderr(err: Error): void {
  process.stderr.write(`log file: ${err.message}\n`)
}
